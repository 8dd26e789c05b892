import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import { signIn } from '~/modules/auth/auth.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getCurrentUser } from '~/modules/auth/session.server'
import { invitePerson, updatePerson } from '~/modules/org/people.server'
import { createPerson, requestAs, TEST_PASSWORD } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import type { SessionInput } from './sessions'
import { cancelSession, updateSession } from './sessions.server'
import { instantToZoned } from '~/shared/time'

const DAY = 86_400_000
const DAYS = 7 // LECTURER_ACCESS_DAYS default

let hr: CurrentUser
beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
})

async function accessEndsAt(userId: string) {
  const [row] = await db.select({ accessEndsAt: users.accessEndsAt, createdAt: users.createdAt }).from(users).where(eq(users.id, userId))
  return row
}

function input(startsAt: Date, minutes: number, trainerIds: string[]): SessionInput {
  return {
    title: 'Follow-up with an external lecturer',
    place: 'Room 5',
    timeZone: 'Asia/Shanghai',
    trainerIds,
    startsAt: instantToZoned(startsAt, 'Asia/Shanghai'),
    endsAt: instantToZoned(new Date(startsAt.getTime() + minutes * 60_000), 'Asia/Shanghai'),
  }
}

const wholeMinute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000)

describe('lecturer access (access_ends_at)', () => {
  it('is set to the end of the last session plus N days when a session is created, and moves when it is rescheduled', async () => {
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const start = wholeMinute(Date.now() + 3 * DAY)
    const { sessionId } = await scheduleSession(hr, { startsAt: start, minutes: 120, trainerIds: [lecturer.id] })
    expect((await accessEndsAt(lecturer.id)).accessEndsAt).toEqual(new Date(start.getTime() + 120 * 60_000 + DAYS * DAY))

    // A second, later session extends it; rescheduling the later one earlier brings it back.
    const later = wholeMinute(Date.now() + 20 * DAY)
    const second = await scheduleSession(hr, { startsAt: later, minutes: 60, trainerIds: [lecturer.id] })
    expect((await accessEndsAt(lecturer.id)).accessEndsAt).toEqual(new Date(later.getTime() + 60 * 60_000 + DAYS * DAY))
    const moved = wholeMinute(Date.now() + 10 * DAY)
    expect((await updateSession(hr, second.sessionId, input(moved, 60, [lecturer.id]))).ok).toBe(true)
    expect((await accessEndsAt(lecturer.id)).accessEndsAt).toEqual(new Date(moved.getTime() + 60 * 60_000 + DAYS * DAY))

    // Cancelling the later session leaves the first one.
    await cancelSession(hr, second.sessionId)
    expect((await accessEndsAt(lecturer.id)).accessEndsAt).toEqual(new Date(start.getTime() + 120 * 60_000 + DAYS * DAY))
    expect(sessionId).toBeTruthy()
  })

  it('follows trainer changes: a lecturer taken off a session loses it, the new one gains it', async () => {
    const first = await createPerson({ roles: ['lecturer'] })
    const second = await createPerson({ roles: ['lecturer'] })
    const start = wholeMinute(Date.now() + 30 * DAY)
    const { sessionId } = await scheduleSession(hr, { startsAt: start, minutes: 60, trainerIds: [first.id] })
    const end = start.getTime() + 60 * 60_000
    expect((await accessEndsAt(first.id)).accessEndsAt).toEqual(new Date(end + DAYS * DAY))
    expect((await accessEndsAt(second.id)).accessEndsAt).toBeNull()

    expect((await updateSession(hr, sessionId, input(start, 60, [second.id]))).ok).toBe(true)
    const { accessEndsAt: firstNow, createdAt } = await accessEndsAt(first.id)
    // No sessions left: N days after the account was created.
    expect(firstNow).toEqual(new Date(createdAt.getTime() + DAYS * DAY))
    expect((await accessEndsAt(second.id)).accessEndsAt).toEqual(new Date(end + DAYS * DAY))
  })

  it('is never set for internal staff, even when they teach or also hold the lecturer role', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const both = await createPerson({ roles: ['lecturer', 'employee'] })
    await scheduleSession(hr, { trainerIds: [trainer.id, both.id] })
    expect((await accessEndsAt(trainer.id)).accessEndsAt).toBeNull()
    expect((await accessEndsAt(both.id)).accessEndsAt).toBeNull()
  })

  it('starts N days after creation for a lecturer HR invites, and is cleared when they become staff', async () => {
    const email = `visiting-${Date.now()}@example.test`
    const invited = await invitePerson(hr, { name: 'Visiting Lecturer', email, roles: ['lecturer'] }, 'http://localhost')
    if (!invited.ok) throw new Error(JSON.stringify(invited.errors))
    const row = await accessEndsAt(invited.id)
    expect(row.accessEndsAt).toEqual(new Date(row.createdAt.getTime() + DAYS * DAY))

    expect((await updatePerson(hr, invited.id, { name: 'Visiting Lecturer', email, roles: ['lecturer', 'trainer'] })).ok).toBe(true)
    expect((await accessEndsAt(invited.id)).accessEndsAt).toBeNull()
  })

  it('refuses sign-in and ends the session of a lecturer whose last session ended more than N days ago', async () => {
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 2 * DAY), trainerIds: [lecturer.id] })
    const signedIn = await requestAs(lecturer, '/sessions')
    expect(await getCurrentUser(signedIn)).toMatchObject({ id: lecturer.id })
    expect(await signIn({ email: lecturer.email, password: TEST_PASSWORD, ip: '10.0.0.1' })).toMatchObject({ ok: true })

    // HR moves the class (their only one) to twelve days ago: more than seven days have passed since.
    const past = wholeMinute(Date.now() - 12 * DAY)
    expect((await updateSession(hr, sessionId, input(past, 120, [lecturer.id]))).ok).toBe(true)
    expect((await accessEndsAt(lecturer.id)).accessEndsAt!.getTime()).toBeLessThan(Date.now())
    expect(await getCurrentUser(signedIn)).toBeNull()
    expect(await signIn({ email: lecturer.email, password: TEST_PASSWORD, ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'access_ended' })
  })
})
