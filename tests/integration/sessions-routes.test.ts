/**
 * The session routes end to end on the server: real loaders and actions, real database,
 * signed-in requests with real cookies.
 */
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { attendance, auditEvents, cohorts, emails, invitations, users } from '#db/schema'
import { checkInToken, intervalAt, shortCode } from '~/modules/attendance/check-in-token'
import { createCohort } from '~/modules/sessions/cohorts.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import * as checkInByCode from '~/routes/check-in._index'
import * as checkInByLink from '~/routes/check-in.$token'
import * as answerLink from '~/routes/invitations.$token'
import * as roster from '~/routes/sessions.$sessionId.roster'
import * as newSession from '~/routes/sessions.new'
import { createPerson, postAs, requestAs, settle } from '../setup/fixtures'
import { appRequestHandler } from '../setup/render-app'
import { scheduleSession } from '../setup/sessions'

const context = { clientIp: '127.0.0.1' }

describe('session routes', () => {
  it('refuses a lecturer marking attendance in a session they do not teach (403, audited)', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr)
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    const request = await postAs(lecturer, `/sessions/${sessionId}/roster`, { intent: 'mark', userId: person.id, status: 'present' })
    const response = (await settle(() => roster.action({ request, params: { sessionId }, context }))) as Response
    expect(response.status).toBe(403)
    const denied = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, lecturer.id), eq(auditEvents.action, 'access.denied')))
    expect(denied[0].details).toMatchObject({ permission: 'mark:attendance:own-session', sessionId })
    expect(await db.select().from(attendance).where(eq(attendance.sessionId, sessionId))).toHaveLength(0)
  })

  it('answers through the emailed link: GET changes nothing, POST works once', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr)
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, person.id))
    const token = mail.text.match(/\/invitations\/([\w-]+)/)![1]

    const page = await answerLink.loader({ request: await requestAs(null, `/invitations/${token}`), params: { token }, context })
    expect(page.invitation).toMatchObject({ sessionId, status: 'invited' })
    const answer = () => postAs(null, `/invitations/${token}`, { intent: 'decline' })
    expect(await answerLink.action({ request: await answer(), params: { token }, context })).toMatchObject({ ok: true, status: 'declined' })
    expect(await answerLink.action({ request: await answer(), params: { token }, context })).toMatchObject({ ok: false })
    const [row] = await db.select().from(invitations).where(eq(invitations.sessionId, sessionId))
    expect(row).toMatchObject({ status: 'declined', responseTokenHash: null })
  })

  it('sends a signed-out scanner through sign-in with a link that outlives the rotating code', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    // Starts in 5 minutes, so check-in is open now.
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 5 * 60_000) })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    const token = checkInToken(sessionId, intervalAt(Date.now()))

    const anonymous = (await settle(() =>
      checkInByLink.loader({ request: new Request(`http://localhost/check-in/${token}`), params: { token }, context }),
    )) as Response
    expect(anonymous.status).toBe(302)
    const location = new URL(anonymous.headers.get('Location')!, 'http://localhost')
    expect(location.pathname).toBe('/login')
    const carried = location.searchParams.get('redirectTo')!
    expect(carried).toMatch(/^\/check-in\/g\./)

    const link = carried.slice('/check-in/'.length)
    const page = await checkInByLink.loader({ request: await requestAs(person, carried), params: { token: link }, context })
    expect(page.preview).toMatchObject({ ok: true, invited: true, attendance: null })
    const grant = page.preview.ok ? page.preview.grant : ''
    const done = await checkInByLink.action({ request: await postAs(person, carried, { grant }), params: { token: link }, context })
    expect(done.outcome).toMatchObject({ ok: true, status: 'present', already: false })
  })

  it('checks in by short code and explains a wrong or malformed one', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 5 * 60_000) })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    const post = (code: string) => postAs(person, '/check-in', { code })

    const malformed = await checkInByCode.action({ request: await post('12a'), params: {}, context })
    expect(malformed.outcome).toBeNull()
    expect(malformed.result.error).toMatchObject({ code: ['attendance.codeFormat'] })
    const right = shortCode(sessionId, intervalAt(Date.now()))
    const wrong = right === '111111' ? '222222' : '111111'
    expect((await checkInByCode.action({ request: await post(wrong), params: {}, context })).outcome).toEqual({ ok: false, reason: 'wrong_code' })
    const spaced = `${right.slice(0, 3)} ${right.slice(3)}`
    expect((await checkInByCode.action({ request: await post(spaced), params: {}, context })).outcome).toMatchObject({ ok: true, status: 'present' })
  })

  it('returns scheduling mistakes as field errors in message keys', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const request = await postAs(trainer, '/sessions/new', {
      title: '',
      startsAt: '2031-02-01T10:00',
      endsAt: '2031-02-01T09:00',
      timeZone: 'Mars/Olympus',
    })
    const result = (await newSession.action({ request, params: {}, context })) as { result: { error: Record<string, string[]> } }
    expect(result.result.error).toMatchObject({ title: ['errors.required'], timeZone: ['sessions.badTimeZone'] })
    // Rules across fields are checked once each field is valid on its own.
    const crossField = await postAs(trainer, '/sessions/new', {
      title: 'T',
      startsAt: '2031-02-01T10:00',
      endsAt: '2031-02-01T09:00',
      timeZone: 'Asia/Shanghai',
    })
    const second = (await newSession.action({ request: crossField, params: {}, context })) as { result: { error: Record<string, string[]> } }
    expect(second.result.error).toMatchObject({ place: ['sessions.placeOrLink'], endsAt: ['sessions.endBeforeStart'] })
    const valid = await postAs(trainer, '/sessions/new', {
      title: 'OK',
      startsAt: '2031-02-01T09:00',
      endsAt: '2031-02-01T10:00',
      timeZone: 'Asia/Shanghai',
      place: 'Room 2',
    })
    const created = (await settle(() => newSession.action({ request: valid, params: {}, context }))) as Response
    expect(created.status).toBe(302)
    expect(created.headers.get('Location')).toMatch(/^\/sessions\/[0-9a-f-]{36}\?created=1$/)
  })

  it('keeps a bad cohort rename in its own form, with the field error in the reader’s language and what was typed', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, trainer.id))
    const cohort = await createCohort(trainer, { name: 'Spring 2031', programme: 'Leadership' })
    const render = await appRequestHandler({ only: ['routes/sessions._index'] })
    const request = await postAs(trainer, '/sessions?index', { intent: 'rename-cohort', cohortId: cohort.id, name: ' ', programme: 'Coaching' })
    const response = await render(request)
    expect(response.status).toBe(400)
    const html = await response.text()
    const form = html.slice(html.indexOf(`id="rename-cohort-${cohort.id}"`), html.indexOf('</form>', html.indexOf(`id="rename-cohort-${cohort.id}"`)))
    expect(form).toMatch(new RegExp(`<p id="rename-cohort-${cohort.id}-name-error"[^>]*role="alert">Required</p>`))
    expect(form).toContain('value="Coaching"')
    // The form for a new cohort stays clean, and nothing was renamed.
    expect(html).not.toContain('id="create-cohort-name-error"')
    const [row] = await db.select().from(cohorts).where(eq(cohorts.id, cohort.id))
    expect(row).toMatchObject({ name: 'Spring 2031', programme: 'Leadership' })
  })
})
