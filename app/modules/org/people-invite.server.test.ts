// Split from people.server.test.ts (the file passed 500 lines): inviting people and the permission checks.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, emails, users } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { auditFor, expectStatus, filters, formOf, hrAdmin } from '../../../tests/setup/people'
import { listAuditEvents } from '~/modules/auth/audit-log.server'
import { findTokenHolder, setPasswordWithToken, signIn } from '~/modules/auth/auth.server'
import type { Role } from '~/modules/auth/permissions'
import { getOutboxEmail, listOutbox } from '~/modules/notifications/outbox.server'
import { createDepartment, ensureDepartmentPath, listDepartmentTree } from './departments.server'
import { getPerson, invitePerson, listPeople, listPickerOptions, listTeam, resendInvitation, setPersonActive, updatePerson } from './people.server'

const APP_URL = 'http://genjin.test'
let unique = 0
/** A department path nobody else in this file uses, so filters see only this test's people. */
const freshDept = (...parts: string[]) => ensureDepartmentPath(db, [`Dept ${++unique}`, ...parts])

describe('invitePerson', () => {
  it('creates a person without a password and emails a link, in their language, that sets one once', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const email = `Invitee.${unique}@Example.test`.toLowerCase()
    const result = await invitePerson(hr, { name: 'Invitee', email, departmentId: dept, locale: 'en', roles: ['employee', 'manager'] }, APP_URL, '10.0.0.8')
    expect(result).toMatchObject({ ok: true })
    const id = (result as { id: string }).id
    const [row] = await db.select().from(users).where(eq(users.id, id))
    expect(row).toMatchObject({ name: 'Invitee', email, passwordHash: null, active: true, departmentId: dept, locale: 'en' })
    expect(await auditFor(id, 'person.invited')).toMatchObject([{ actorId: hr.id, ip: '10.0.0.8' }])

    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, id))
    expect(mail).toMatchObject({ kind: 'invitation', toAddress: email, locale: 'en', subject: 'You are invited to Genjin', status: 'outbox' })
    expect(mail.text).toContain(hr.name)
    const token = mail.text.match(/http:\/\/genjin\.test\/invitation\/([\w-]+)/)![1]
    expect(await findTokenHolder(token, 'invitation')).toMatchObject({ userId: id, email })

    expect(await setPasswordWithToken(token, 'invitation', 'my-first-password')).toEqual({ userId: id })
    expect(await setPasswordWithToken(token, 'invitation', 'my-second-password')).toBeNull()
    expect(await signIn({ email, password: 'my-first-password', ip: '10.0.0.8' })).toEqual({ ok: true, userId: id })
  })

  it('writes the invitation in Chinese when no language is chosen', async () => {
    const hr = await hrAdmin()
    const result = await invitePerson(hr, { name: '新同事', email: `xin.${++unique}@example.test`, roles: ['employee'] }, APP_URL)
    const [mail] = await db
      .select()
      .from(emails)
      .where(eq(emails.toUserId, (result as { id: string }).id))
    expect(mail).toMatchObject({ locale: 'zh-CN', subject: '邀请你加入跟进平台' })
  })

  it('refuses an email or number already in use, creating nobody and sending nothing', async () => {
    const hr = await hrAdmin()
    const existing = await createPerson({ employeeNumber: `INV-${++unique}` })
    const before = (await db.select().from(emails)).length
    expect(await invitePerson(hr, { name: 'Copy', email: existing.email, roles: ['employee'] }, APP_URL)).toEqual({
      ok: false,
      errors: { email: 'people.emailTaken' },
    })
    expect(
      await invitePerson(hr, { name: 'Copy', email: `copy.${unique}@example.test`, employeeNumber: `INV-${unique}`, roles: ['employee'] }, APP_URL),
    ).toEqual({
      ok: false,
      errors: { employeeNumber: 'people.numberTaken' },
    })
    expect(
      await db
        .select()
        .from(users)
        .where(eq(users.email, `copy.${unique}@example.test`)),
    ).toEqual([])
    expect((await db.select().from(emails)).length).toBe(before)
  })

  it('resending replaces the link: the old one stops working', async () => {
    const hr = await hrAdmin()
    const result = await invitePerson(hr, { name: 'Slow Reader', email: `slow.${++unique}@example.test`, roles: ['employee'] }, APP_URL)
    const id = (result as { id: string }).id
    expect(await resendInvitation(hr, id, APP_URL)).toEqual({ ok: true, email: `slow.${unique}@example.test` })
    const mails = await db.select().from(emails).where(eq(emails.toUserId, id)).orderBy(emails.createdAt)
    expect(mails).toHaveLength(2)
    const [oldToken, newToken] = mails.map((m) => m.text.match(/invitation\/([\w-]+)/)![1])
    expect(await findTokenHolder(oldToken, 'invitation')).toBeNull()
    expect(await findTokenHolder(newToken, 'invitation')).toMatchObject({ userId: id })
    expect(await auditFor(id, 'person.invitation_resent')).toHaveLength(1)
  })

  it('does not resend to someone who already has a password', async () => {
    const hr = await hrAdmin()
    const person = await createPerson()
    await expectStatus(resendInvitation(hr, person.id, APP_URL), 404)
  })
})

describe('permissions', () => {
  const others: Role[] = ['employee', 'manager', 'trainer', 'lecturer']

  it.each(others)('refuses a %s every HR function with 403, changing nothing', async (role) => {
    const actor = await createPerson({ roles: [role] })
    const target = await createPerson({ name: 'Untouched' })
    const hr = await hrAdmin()
    const invited = await invitePerson(hr, { name: 'Pending', email: `pending.${++unique}@example.test`, roles: ['employee'] }, APP_URL)
    const pendingId = (invited as { id: string }).id
    const [mail] = await db.select({ id: emails.id }).from(emails).limit(1)
    const form = await formOf(target.id)

    await expectStatus(listPeople(actor, filters()), 403)
    await expectStatus(getPerson(actor, target.id), 403)
    await expectStatus(listPickerOptions(actor), 403)
    await expectStatus(updatePerson(actor, target.id, { ...form, name: 'Changed', roles: ['hr_admin'] }), 403)
    await expectStatus(setPersonActive(actor, target.id, false), 403)
    await expectStatus(invitePerson(actor, { name: 'Sneaky', email: `sneaky.${unique}@example.test`, roles: ['hr_admin'] }, APP_URL), 403)
    await expectStatus(resendInvitation(actor, pendingId, APP_URL), 403)
    await expectStatus(listDepartmentTree(actor), 403)
    await expectStatus(createDepartment(actor, { name: `Sneaky ${unique}` }), 403)
    await expectStatus(listOutbox(actor), 403)
    await expectStatus(getOutboxEmail(actor, mail.id), 403)
    await expectStatus(listAuditEvents(actor, {}), 403)

    const [row] = await db.select().from(users).where(eq(users.id, target.id))
    expect(row).toMatchObject({ name: 'Untouched', active: true })
    expect(
      await db
        .select()
        .from(users)
        .where(eq(users.email, `sneaky.${unique}@example.test`)),
    ).toEqual([])
    const denials = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, actor.id), eq(auditEvents.action, 'access.denied')))
    expect(denials.length).toBeGreaterThanOrEqual(12)
  })

  it('lets a manager see only their own team', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    const otherManager = await createPerson({ roles: ['manager'] })
    const report = await createPerson({ managerId: manager.id })
    expect((await listTeam(manager)).map((p) => p.id)).toEqual([report.id])
    await expectStatus(listTeam(manager, otherManager.id), 403)
    await expectStatus(listTeam(await createPerson({ roles: ['employee'] })), 403)
    expect((await listTeam(await hrAdmin(), manager.id)).map((p) => p.id)).toEqual([report.id])
  })
})
