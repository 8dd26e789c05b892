/** The /notifications page: real loader and action, signed-in requests, real database. */
import { and, eq, isNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { notifications, users } from '#db/schema'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import * as page from '~/routes/notifications'
import * as root from '~/root'
import { createPerson, postAs, requestAs, settle } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { NOTIFICATIONS_PAGE_SIZE } from './notifications'
import { notifyMany } from './inbox.server'

const context = { clientIp: '127.0.0.1', cspNonce: '' }

describe('notifications page', () => {
  it('lists an invitation in the reader’s language, newest first, and the bell counts it', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, person.id))
    const { sessionId } = await scheduleSession(hr, { title: 'Follow-up basics' })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    await notifyMany(db, [{ userId: person.id, kind: 'absence_warning', params: { count: 2 }, link: '/my/sessions' }])

    const data = await page.loader({ request: await requestAs(person, '/notifications'), params: {}, context })
    expect(data.unread).toBe(2)
    expect(data.items.map((i) => i.kind)).toEqual(['absence_warning', 'session_invitation'])
    expect(data.items[0].text).toBe('You have 2 unexcused absences from training sessions.')
    expect(data.items[1].text).toMatch(/^You are invited to “Follow-up basics” \(.+\)\.$/)
    const shell = await root.loader({ request: await requestAs(person, '/'), params: {}, context })
    expect(shell.unreadNotifications).toBe(2)
  })

  it('marks one read on open (following its link), and all read; never someone else’s', async () => {
    const person = await createPerson()
    const other = await createPerson()
    const [mine, second] = await notifyMany(db, [
      { userId: person.id, kind: 'absence_warning', params: { count: 2 }, link: '/my/sessions' },
      { userId: person.id, kind: 'absence_warning', params: { count: 3 }, link: 'https://evil.example/' },
    ])
    const [theirs] = await notifyMany(db, [{ userId: other.id, kind: 'absence_warning', params: { count: 2 } }])

    const opened = (await settle(async () =>
      page.action({ request: await postAs(person, '/notifications', { intent: 'read', id: mine.id, open: '1' }), params: {}, context }),
    )) as Response
    expect(opened.status).toBe(302)
    expect(opened.headers.get('Location')).toBe('/my/sessions')
    // A link outside the app is not followed.
    expect(await page.action({ request: await postAs(person, '/notifications', { intent: 'read', id: second.id, open: '1' }), params: {}, context })).toEqual({
      notice: null,
    })

    const refused = (await settle(async () =>
      page.action({ request: await postAs(person, '/notifications', { intent: 'read', id: theirs.id }), params: {}, context }),
    )) as Response
    expect(refused.status).toBe(404)
    const [untouched] = await db.select().from(notifications).where(eq(notifications.id, theirs.id))
    expect(untouched.readAt).toBeNull()

    await notifyMany(db, [{ userId: person.id, kind: 'absence_warning', params: { count: 4 } }])
    await page.action({ request: await postAs(person, '/notifications', { intent: 'read-all' }), params: {}, context })
    expect(
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, person.id), isNull(notifications.readAt))),
    ).toHaveLength(0)
    expect(
      await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, other.id), isNull(notifications.readAt))),
    ).toHaveLength(1)

    const bad = (await settle(async () =>
      page.action({ request: await postAs(person, '/notifications', { intent: 'read', id: 'nope' }), params: {}, context }),
    )) as Response
    expect(bad.status).toBe(400)
  })

  it('pages through many notifications', async () => {
    const person = await createPerson()
    await notifyMany(
      db,
      Array.from({ length: NOTIFICATIONS_PAGE_SIZE + 5 }, (_, i) => ({ userId: person.id, kind: 'absence_warning', params: { count: i + 2 } })),
    )
    const second = await page.loader({ request: await requestAs(person, '/notifications?page=2'), params: {}, context })
    expect(second).toMatchObject({ page: 2, pages: 2, total: NOTIFICATIONS_PAGE_SIZE + 5 })
    expect(second.items).toHaveLength(5)
  })
})
