import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, departments, emails, users } from '#db/schema'
import { getRoster } from '~/modules/attendance/attendance.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { getSession } from '~/modules/sessions/sessions.server'
import { createPerson, postAs, requestAs, settle } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { loader as rosterLoader } from '../../routes/sessions.$sessionId.roster'
import { action as briefingAction, loader as briefingLoader } from '../../routes/sessions.$sessionId.briefing._index'
import type { BriefingInput } from './briefings'
import { acknowledgeBriefing, audienceSummary, briefingOverview, getBriefing, getBriefingForEditing, listMyBriefings, saveBriefing } from './briefings.server'

let hr: CurrentUser
beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'], name: 'Hannah HR' })
})

const pack = (overrides: Partial<BriefingInput> = {}): BriefingInput => ({
  intent: 'publish',
  language: 'zh-CN',
  companyBackground: '一家 **连锁零售** 企业，约 3,000 名员工。',
  audienceDepartments: '销售部 (12)',
  audienceLevels: '经理：12 人',
  headCount: 12,
  audienceNotes: '',
  followUpProblems: '- 反馈不及时\n- 凭印象评价',
  cases: '华东区门店案例',
  dosAndDonts: '多用数据，少讲理论。',
  equipment: '投影仪、白板',
  contact: '王芳 138-0000-0000',
  logisticsNotes: '',
  ...overrides,
})

async function lecturerSession() {
  const lecturer = await createPerson({ roles: ['lecturer'], name: 'David Visiting' })
  await db.update(users).set({ locale: 'en' }).where(eq(users.id, lecturer.id))
  const { sessionId } = await scheduleSession(hr, { trainerIds: [lecturer.id] })
  return { lecturer, sessionId }
}

/** What a loader or action did: its value, or the Response it threw. */
describe('briefing packs', () => {
  it('keeps a draft from the lecturer; publishing emails them in their language', async () => {
    const { lecturer, sessionId } = await lecturerSession()
    expect(await saveBriefing(hr, sessionId, pack({ intent: 'save' }))).toMatchObject({ ok: true, status: 'draft', version: 0, notified: 0 })
    await expect(getBriefing(lecturer, sessionId)).rejects.toMatchObject({ status: 404 })
    // A draft holds nobody up.
    await expect(getRoster(lecturer, sessionId)).resolves.toMatchObject({ session: { id: sessionId } })

    expect(await saveBriefing(hr, sessionId, pack())).toMatchObject({ ok: true, status: 'published', version: 1, notified: 1 })
    const [mail] = await db
      .select()
      .from(emails)
      .where(and(eq(emails.toUserId, lecturer.id), eq(emails.kind, 'briefing_published')))
    expect(mail.locale).toBe('en')
    expect(mail.subject).toContain('Briefing for your session')
    expect(mail.text).toContain('written in Chinese')
    expect(mail.text).toContain(`/sessions/${sessionId}/briefing`)
  })

  it('renders the Markdown safely: raw HTML is escaped and script links are dropped', async () => {
    const { lecturer, sessionId } = await lecturerSession()
    await saveBriefing(hr, sessionId, pack({ companyBackground: '<script>alert(1)</script> [x](javascript:alert(1)) **ok**' }))
    const view = await getBriefing(lecturer, sessionId)
    expect(view.html.companyBackground).not.toContain('<script>')
    expect(view.html.companyBackground).toContain('&lt;script&gt;')
    expect(view.html.companyBackground).not.toMatch(/href="javascript/i)
    expect(view.html.companyBackground).toContain('<strong>ok</strong>')
  })

  it('refuses publishing without the essentials', async () => {
    const { BriefingForm } = await import('./briefings')
    const parsed = BriefingForm.safeParse({ intent: 'publish', language: 'en', companyBackground: '', contact: '' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['companyBackground', 'followUpProblems', 'dosAndDonts', 'contact']))
    expect(BriefingForm.safeParse({ intent: 'save', language: 'en' }).success).toBe(true)
  })

  it('sends a lecturer to the pack before the roster until they acknowledge it; HR sees when', async () => {
    const { lecturer, sessionId } = await lecturerSession()
    await saveBriefing(hr, sessionId, pack())

    // The roster (and the session page) answer with a redirect to the pack.
    const before = await settle(async () =>
      rosterLoader({ request: await requestAs(lecturer, `/sessions/${sessionId}/roster`), params: { sessionId }, context: {} }),
    )
    expect(before).toBeInstanceOf(Response)
    expect((before as Response).status).toBe(302)
    expect((before as Response).headers.get('Location')).toBe(`/sessions/${sessionId}/briefing`)
    await expect(getSession(lecturer, sessionId)).rejects.toMatchObject({ status: 302 })
    const overviewBefore = await briefingOverview(hr, sessionId)
    expect(overviewBefore!.lecturers).toEqual([expect.objectContaining({ userId: lecturer.id, version: null, at: null, current: false })])

    // The pack itself opens and asks for the acknowledgement, which is a POST.
    const view = await briefingLoader({ request: await requestAs(lecturer, `/sessions/${sessionId}/briefing`), params: { sessionId }, context: {} })
    expect(view).toMatchObject({ mustAcknowledge: true, acknowledged: null, briefing: { version: 1, language: 'zh-CN' } })
    const posted = await settle(async () =>
      briefingAction({
        request: await postAs(lecturer, `/sessions/${sessionId}/briefing`, { intent: 'acknowledge', version: '1' }),
        params: { sessionId },
        context: {},
      }),
    )
    expect((posted as Response).status).toBe(302)

    const after = await rosterLoader({ request: await requestAs(lecturer, `/sessions/${sessionId}/roster`), params: { sessionId }, context: {} })
    expect(after).toMatchObject({ session: { id: sessionId } })
    const overview = await briefingOverview(hr, sessionId)
    const row = overview!.lecturers[0]
    expect(row).toMatchObject({ userId: lecturer.id, version: 1, current: true })
    expect(row.at).toBeInstanceOf(Date)
    expect(Date.now() - row.at!.getTime()).toBeLessThan(60_000)
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, lecturer.id), eq(auditEvents.action, 'briefing.acknowledged')))
    expect(audited).toHaveLength(1)
  })

  it('asks again after HR changes a published pack (new version); an unchanged save keeps the version', async () => {
    const { lecturer, sessionId } = await lecturerSession()
    await saveBriefing(hr, sessionId, pack())
    await acknowledgeBriefing(lecturer, sessionId, 1)
    await expect(getRoster(lecturer, sessionId)).resolves.toBeTruthy()

    expect(await saveBriefing(hr, sessionId, pack())).toMatchObject({ version: 1, changed: false })
    expect(await saveBriefing(hr, sessionId, pack({ cases: '换一个案例', intent: 'save' }))).toMatchObject({
      status: 'published',
      version: 2,
      changed: true,
      notified: 1,
    })
    const changedMail = await db
      .select()
      .from(emails)
      .where(and(eq(emails.toUserId, lecturer.id), eq(emails.kind, 'briefing_changed')))
    expect(changedMail).toHaveLength(1)

    await expect(getRoster(lecturer, sessionId)).rejects.toMatchObject({ status: 302 })
    const view = await getBriefing(lecturer, sessionId)
    expect(view).toMatchObject({ mustAcknowledge: true, changedSinceAcknowledged: true, acknowledged: { version: 1 } })
    expect((await briefingOverview(hr, sessionId))!.lecturers[0]).toMatchObject({ version: 1, current: false })
    // Acknowledging the version read before the change does not count.
    expect(await acknowledgeBriefing(lecturer, sessionId, 1)).toEqual({ ok: false, error: 'briefings.changedMeanwhile' })
    expect(await acknowledgeBriefing(lecturer, sessionId, 2)).toEqual({ ok: true })
    await expect(getRoster(lecturer, sessionId)).resolves.toBeTruthy()
    expect((await briefingOverview(hr, sessionId))!.lecturers[0]).toMatchObject({ version: 2, current: true })
  })

  it('lets only HR, and the session’s own trainers and lecturers, read a pack', async () => {
    const { lecturer, sessionId } = await lecturerSession()
    const other = await lecturerSession()
    const trainer = await createPerson({ roles: ['trainer'] })
    const otherTrainer = await createPerson({ roles: ['trainer'] })
    const employee = await createPerson({ roles: ['employee'] })
    const { sessionId: taught } = await scheduleSession(hr, { trainerIds: [trainer.id, lecturer.id] })
    await saveBriefing(hr, sessionId, pack())
    await saveBriefing(hr, other.sessionId, pack())
    await saveBriefing(hr, taught, pack())

    await expect(getBriefing(lecturer, other.sessionId)).rejects.toMatchObject({ status: 403 })
    await expect(acknowledgeBriefing(lecturer, other.sessionId, 1)).rejects.toMatchObject({ status: 403 })
    await expect(getBriefing(employee, sessionId)).rejects.toMatchObject({ status: 403 })
    await expect(getBriefing(otherTrainer, taught)).rejects.toMatchObject({ status: 403 })
    await expect(getBriefingForEditing(lecturer, sessionId)).rejects.toMatchObject({ status: 403 })
    await expect(getBriefingForEditing(trainer, taught)).rejects.toMatchObject({ status: 403 })
    await expect(saveBriefing(trainer, taught, pack())).rejects.toMatchObject({ status: 403 })
    // The internal trainer of the session reads it and is not held up by it.
    await expect(getBriefing(trainer, taught)).resolves.toMatchObject({ mustAcknowledge: true })
    await expect(getRoster(trainer, taught)).resolves.toBeTruthy()
    await expect(getBriefing(hr, other.sessionId)).resolves.toMatchObject({ canEdit: true, mustAcknowledge: false })
    const denied = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, lecturer.id), eq(auditEvents.action, 'access.denied')))
    expect(denied.length).toBeGreaterThanOrEqual(2)
    // The lecturer's home lists only what they teach, with the packs to read.
    const mine = await listMyBriefings(lecturer)
    expect(mine.map((m) => m.sessionId).sort()).toEqual([sessionId, taught].sort())
    expect(mine.every((m) => m.pending)).toBe(true)
  })

  it('prefills the audience from the session’s invitations, in the pack’s language', async () => {
    // A department of its own, so the counts are this test's only.
    const [{ id: deptId }] = await db
      .insert(departments)
      .values({ name: 'Sales', path: `Sales-${Date.now()}` })
      .returning()
    const managers = await Promise.all([1, 2].map(() => createPerson({ roles: ['manager'], departmentId: deptId })))
    const employees = await Promise.all([1, 2, 3].map(() => createPerson({ roles: ['employee'] })))
    const { lecturer, sessionId } = await lecturerSession()
    await inviteAudience(hr, sessionId, { userIds: [...managers, ...employees].map((p) => p.id) })
    const en = await audienceSummary(db, sessionId, 'en')
    expect(en.headCount).toBe(5)
    expect(en.levels).toBe('Managers: 2; Employees and others: 3')
    expect(en.departments.split('\n')).toEqual([expect.stringMatching(/^No department \(3\)$/), expect.stringMatching(/^Sales-\d+ \(2\)$/)])
    // The form's defaults: the lecturer reads English, so the new pack is in English.
    const editing = await getBriefingForEditing(hr, sessionId)
    expect(editing.defaults).toMatchObject({ language: 'en', headCount: 5, audienceLevels: 'Managers: 2; Employees and others: 3' })
    expect(editing.lecturers.map((l) => l.userId)).toEqual([lecturer.id])
  })
})
