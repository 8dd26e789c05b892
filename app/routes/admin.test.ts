import { publicOrigin } from '~/env.server'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { and, eq, isNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, authSessions, departments, emails, userRoles, users } from '#db/schema'
import { createPerson, postAs, requestAs } from '../../tests/setup/fixtures'
import { hasMessage, translator } from '~/i18n'
import type { Role } from '~/modules/auth/permissions'
import { ensureDepartmentPath } from '~/modules/org/departments.server'
import * as audit from './admin.audit'
import * as departmentsRoute from './admin.departments'
import * as outboxEmail from './admin.outbox.$emailId'
import * as outbox from './admin.outbox._index'
import * as person from './admin.people.$personId'
import * as people from './admin.people._index'
import * as invite from './admin.people.invite'
import * as invitation from './invitation.$token'

type Args = { request: Request; params?: Record<string, string> }
const args = ({ request, params = {} }: Args) => ({ request, params, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs

/** What a loader or action returned, or the Response it threw (redirects, 403, 404). */
async function outcome(run: () => Promise<unknown>) {
  try {
    const value = await run()
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
      const { data, init } = value as { data: unknown; init: ResponseInit | null }
      return { status: init?.status ?? 200, data: data as Record<string, unknown>, thrown: undefined }
    }
    return { status: 200, data: value as Record<string, unknown>, thrown: undefined }
  } catch (error) {
    if (!(error instanceof Response)) throw error
    return { status: error.status, data: undefined, thrown: error }
  }
}

type Reply = { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }

async function personRow(id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id))
  const roles = (await db.select().from(userRoles).where(eq(userRoles.userId, id))).map((r) => r.role).sort()
  return { ...row, roles }
}

function editFields(overrides: Record<string, string | string[]> = {}) {
  return {
    intent: 'save',
    name: 'Edited Name',
    email: 'edited@example.test',
    employeeNumber: '',
    departmentId: '',
    managerId: '',
    locale: '',
    roles: ['employee'],
    ...overrides,
  }
}

describe('person edit form', () => {
  it('answers bad input with 400 and field errors, keeping what was typed and changing nothing', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const target = await createPerson({ name: 'Original Name' })
    const before = await personRow(target.id)
    const request = await postAs(hr, `/admin/people/${target.id}`, editFields({ name: '', email: 'not an email', roles: [] }))
    const result = await outcome(() => person.action(args({ request, params: { personId: target.id } })))
    expect(result.status).toBe(400)
    const reply = result.data!.result as Reply
    expect(reply.error).toMatchObject({ name: ['errors.required'], email: ['errors.email'], roles: ['people.atLeastOneRole'] })
    expect(reply.initialValue).toMatchObject({ email: 'not an email' })
    expect(await personRow(target.id)).toEqual(before)
    expect(await db.select().from(auditEvents).where(eq(auditEvents.entityId, target.id))).toEqual([])
  })

  it('shows the module’s refusals on the right field: email taken, reporting cycle, last admin', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const other = await createPerson()
    const boss = await createPerson()
    const report = await createPerson({ managerId: boss.id })
    const before = await personRow(boss.id)
    const save = async (fields: Record<string, string | string[]>) => {
      const request = await postAs(hr, `/admin/people/${boss.id}`, editFields(fields))
      return outcome(() => person.action(args({ request, params: { personId: boss.id } })))
    }
    const taken = await save({ email: other.email })
    expect(taken.status).toBe(400)
    expect((taken.data!.result as Reply).error).toEqual({ email: ['people.emailTaken'] })
    expect((taken.data!.result as Reply).initialValue).toMatchObject({ name: 'Edited Name', email: other.email })

    const cycle = await save({ managerId: report.id })
    expect((cycle.data!.result as Reply).error).toEqual({ managerId: ['people.managerCycle'] })
    expect(await personRow(boss.id)).toEqual(before)
  })

  it('saves good input and redirects with a notice the page shows in both languages', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const dept = await ensureDepartmentPath(db, ['Edit Dept'])
    const target = await createPerson()
    const request = await postAs(
      hr,
      `/admin/people/${target.id}`,
      editFields({ email: 'Mixed.Case@Example.test', departmentId: dept, locale: 'en', roles: ['manager', 'employee'] }),
    )
    const result = await outcome(() => person.action(args({ request, params: { personId: target.id } })))
    expect(result.status).toBe(302)
    expect(result.thrown!.headers.get('Location')).toBe(`/admin/people/${target.id}?saved=1`)
    expect(await personRow(target.id)).toMatchObject({
      name: 'Edited Name',
      email: 'mixed.case@example.test',
      departmentId: dept,
      locale: 'en',
      roles: ['employee', 'manager'],
    })

    const page = await outcome(async () =>
      person.loader(args({ request: await requestAs(hr, `/admin/people/${target.id}?saved=1`), params: { personId: target.id } })),
    )
    expect(page.data).toMatchObject({ notice: 'saved', person: { name: 'Edited Name' } })
    expect(translator('en')('admin.people.saved', { name: 'Edited Name' })).toBe('Changes to Edited Name are saved.')
    expect(translator('zh-CN')('admin.people.saved', { name: 'Edited Name' })).toBe('已保存对 Edited Name 的修改。')
  })

  it('asks before deactivating: the confirmation is a page, only the POST changes anything', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const target = await createPerson()
    await requestAs(target, '/')
    const ask = await outcome(async () =>
      person.loader(args({ request: await requestAs(hr, `/admin/people/${target.id}?confirm=deactivate`), params: { personId: target.id } })),
    )
    expect(ask.data).toMatchObject({ confirmDeactivate: true })
    expect((await personRow(target.id)).active).toBe(true)

    const request = await postAs(hr, `/admin/people/${target.id}`, { intent: 'deactivate' })
    const done = await outcome(() => person.action(args({ request, params: { personId: target.id } })))
    expect(done.thrown!.headers.get('Location')).toBe(`/admin/people/${target.id}?deactivated=1`)
    expect((await personRow(target.id)).active).toBe(false)
    expect(
      await db
        .select()
        .from(authSessions)
        .where(and(eq(authSessions.userId, target.id), isNull(authSessions.revokedAt))),
    ).toEqual([])

    const again = await postAs(hr, `/admin/people/${target.id}`, { intent: 'reactivate' })
    expect((await outcome(() => person.action(args({ request: again, params: { personId: target.id } })))).thrown!.headers.get('Location')).toBe(
      `/admin/people/${target.id}?reactivated=1`,
    )
    expect((await personRow(target.id)).active).toBe(true)
  })

  it('refuses to let HR deactivate themselves, with a message rather than an error page', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const request = await postAs(hr, `/admin/people/${hr.id}`, { intent: 'deactivate' })
    const result = await outcome(() => person.action(args({ request, params: { personId: hr.id } })))
    expect(result).toMatchObject({ status: 400, data: { statusError: 'people.cannotDeactivateSelf' } })
    expect((await personRow(hr.id)).active).toBe(true)
  })

  it('rejects an unknown intent and 404s an unknown person', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const target = await createPerson()
    const bad = await postAs(hr, `/admin/people/${target.id}`, { intent: 'delete' })
    expect((await outcome(() => person.action(args({ request: bad, params: { personId: target.id } })))).status).toBe(400)
    for (const personId of ['00000000-0000-4000-8000-00000000000a', 'nope']) {
      const request = await requestAs(hr, `/admin/people/${personId}`)
      expect((await outcome(() => person.loader(args({ request, params: { personId } })))).status).toBe(404)
    }
  })
})

describe('invite form', () => {
  it('invites, redirects to the person with a notice, and the emailed link opens the invitation page', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const request = await postAs(hr, '/admin/people/invite', {
      name: 'Route Invitee',
      email: 'route.invitee@example.test',
      employeeNumber: 'RI-1',
      departmentId: '',
      managerId: hr.id,
      locale: 'en',
      roles: 'employee',
    })
    const result = await outcome(() => invite.action(args({ request })))
    expect(result.status).toBe(302)
    const [created] = await db.select().from(users).where(eq(users.email, 'route.invitee@example.test'))
    expect(created).toMatchObject({ name: 'Route Invitee', managerId: hr.id, passwordHash: null })
    expect(result.thrown!.headers.get('Location')).toBe(`/admin/people/${created.id}?invited=1`)

    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, created.id))
    // Emailed links come from APP_URL (or the listen address), never from the request's Host.
    const link = mail.text.match(new RegExp(`${publicOrigin().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/invitation/([\\w-]+)`))
    expect(link).not.toBeNull()
    const page = await outcome(async () => invitation.loader(args({ request: new Request(link![0]), params: { token: link![1] } })))
    expect(page.data).toEqual({ invitee: { name: 'Route Invitee', email: 'route.invitee@example.test' } })
  })

  it('answers bad input and a taken email with 400 field errors, inviting nobody', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const count = (await db.select().from(users)).length
    const bad = await outcome(async () => invite.action(args({ request: await postAs(hr, '/admin/people/invite', { name: 'X', email: 'x@', roles: [] }) })))
    expect(bad.status).toBe(400)
    expect((bad.data!.result as Reply).error).toMatchObject({ email: ['errors.email'], roles: ['people.atLeastOneRole'] })
    const taken = await outcome(async () =>
      invite.action(args({ request: await postAs(hr, '/admin/people/invite', { name: 'X', email: hr.email, roles: 'employee' }) })),
    )
    expect((taken.data!.result as Reply).error).toEqual({ email: ['people.emailTaken'] })
    expect((await db.select().from(users)).length).toBe(count)
  })
})

describe('people list', () => {
  it('reads the filters from the URL and ignores nonsense', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const dept = await ensureDepartmentPath(db, ['List Dept'])
    const found = await createPerson({ name: 'Findable Person', departmentId: dept, roles: ['trainer'] })
    const request = await requestAs(hr, `/admin/people?q=findable&department=${dept}&role=trainer&status=active`)
    const result = await outcome(() => people.loader(args({ request })))
    expect(result.data).toMatchObject({ total: 1, pages: 1, filters: { q: 'findable', department: dept, role: 'trainer', status: 'active', page: 1 } })
    expect((result.data!.people as { id: string }[]).map((p) => p.id)).toEqual([found.id])
    const junk = await outcome(async () => people.loader(args({ request: await requestAs(hr, '/admin/people?department=x&role=king&status=gone&page=-3') })))
    expect(junk.data!.filters).toEqual({ status: 'active', page: 1 })
  })
})

describe('departments page', () => {
  it('adds a department and names it in the notice; a slash in the name is a field error', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const bad = await outcome(async () => departmentsRoute.action(args({ request: await postAs(hr, '/admin/departments', { name: 'A/B', parentId: '' }) })))
    expect(bad.status).toBe(400)
    expect((bad.data!.result as Reply).error).toEqual({ name: ['admin.departmentNoSlash'] })
    expect(await db.select().from(departments).where(eq(departments.name, 'A/B'))).toEqual([])

    const parent = await ensureDepartmentPath(db, ['Route Parent'])
    const ok = await outcome(async () =>
      departmentsRoute.action(args({ request: await postAs(hr, '/admin/departments', { name: 'Child', parentId: parent }) })),
    )
    const location = ok.thrown!.headers.get('Location')!
    expect(location).toMatch(/^\/admin\/departments\?added=/)
    const page = await outcome(async () => departmentsRoute.loader(args({ request: await requestAs(hr, location) })))
    expect(page.data!.added).toBe('Route Parent/Child')

    const clash = await outcome(async () =>
      departmentsRoute.action(args({ request: await postAs(hr, '/admin/departments', { name: 'Child', parentId: parent }) })),
    )
    expect((clash.data!.result as Reply).error).toEqual({ name: ['departments.nameTaken'] })
  })
})

describe('outbox', () => {
  it('lists emails and shows one without its stored HTML', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const [mail] = await db
      .insert(emails)
      .values({
        toAddress: 'x@example.test',
        locale: 'en',
        kind: 'invitation',
        subject: 'Hello',
        text: 'Go to https://genjin.test/a',
        html: '<script>alert(1)</script>',
        status: 'outbox',
      })
      .returning()
    const list = await outcome(async () => outbox.loader(args({ request: await requestAs(hr, '/admin/outbox') })))
    expect((list.data!.emails as { id: string }[]).some((e) => e.id === mail.id)).toBe(true)
    const one = await outcome(async () => outboxEmail.loader(args({ request: await requestAs(hr, `/admin/outbox/${mail.id}`), params: { emailId: mail.id } })))
    expect(one.data!.email).toMatchObject({ subject: 'Hello', text: 'Go to https://genjin.test/a' })
    expect(one.data!.email).not.toHaveProperty('html')
    for (const emailId of ['00000000-0000-4000-8000-00000000000b', 'nope']) {
      const missing = await outcome(async () => outboxEmail.loader(args({ request: await requestAs(hr, `/admin/outbox/${emailId}`), params: { emailId } })))
      expect(missing.status).toBe(404)
    }
  })
})

describe('audit log', () => {
  it('filters by action and pages to older events', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const subject = await createPerson()
    for (let i = 0; i < 55; i++)
      await db.insert(auditEvents).values({ actorId: hr.id, action: 'test.paged', entityType: 'user', entityId: subject.id, details: { i } })
    const first = await outcome(async () => audit.loader(args({ request: await requestAs(hr, '/admin/audit?action=test.paged') })))
    const events = first.data!.events as { id: number; details: { i: number } }[]
    expect(events).toHaveLength(50)
    expect(events[0].details.i).toBe(54)
    expect(first.data!.actions).toContain('test.paged')
    const older = await outcome(async () =>
      audit.loader(args({ request: await requestAs(hr, `/admin/audit?action=test.paged&before=${first.data!.nextBefore}`) })),
    )
    expect((older.data!.events as { details: { i: number } }[]).map((e) => e.details.i)).toEqual([4, 3, 2, 1, 0])
    expect(older.data!.nextBefore).toBeNull()
    const byEntity = await outcome(async () => audit.loader(args({ request: await requestAs(hr, `/admin/audit?q=${subject.id}&before=abc`) })))
    expect((byEntity.data!.events as unknown[]).length).toBe(50)
  })
})

describe('who may open the admin screens', () => {
  const routes = [
    { name: 'people list', run: (r: Request) => people.loader(args({ request: r })), url: '/admin/people' },
    { name: 'person', run: (r: Request, id: string) => person.loader(args({ request: r, params: { personId: id } })), url: '/admin/people/:id' },
    { name: 'invite', run: (r: Request) => invite.loader(args({ request: r })), url: '/admin/people/invite' },
    { name: 'departments', run: (r: Request) => departmentsRoute.loader(args({ request: r })), url: '/admin/departments' },
    { name: 'outbox', run: (r: Request) => outbox.loader(args({ request: r })), url: '/admin/outbox' },
    { name: 'audit', run: (r: Request) => audit.loader(args({ request: r })), url: '/admin/audit' },
  ]
  const nonHr: Role[] = ['employee', 'manager', 'trainer', 'lecturer']

  it.each(routes)('$name: HR admins only; others get 403, strangers the sign-in page', async ({ run, url }) => {
    const target = await createPerson()
    const path = url.replace(':id', target.id)
    expect((await outcome(async () => run(await requestAs(await createPerson({ roles: ['hr_admin'] }), path), target.id))).status).toBe(200)
    for (const role of nonHr) {
      expect((await outcome(async () => run(await requestAs(await createPerson({ roles: [role] }), path), target.id))).status).toBe(403)
    }
    const anonymous = await outcome(async () => run(await requestAs(null, path), target.id))
    expect(anonymous.status).toBe(302)
    expect(anonymous.thrown!.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
  })

  it('refuses every admin form post from someone who is not HR', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    const target = await createPerson({ name: 'Left Alone' })
    const posts = [
      () =>
        postAs(manager, `/admin/people/${target.id}`, editFields({ roles: ['hr_admin'] })).then((r) =>
          person.action(args({ request: r, params: { personId: target.id } })),
        ),
      () =>
        postAs(manager, `/admin/people/${target.id}`, { intent: 'deactivate' }).then((r) =>
          person.action(args({ request: r, params: { personId: target.id } })),
        ),
      () =>
        postAs(manager, '/admin/people/invite', { name: 'X', email: 'sneaky@example.test', roles: 'hr_admin' }).then((r) =>
          invite.action(args({ request: r })),
        ),
      () => postAs(manager, '/admin/departments', { name: 'Sneaky' }).then((r) => departmentsRoute.action(args({ request: r }))),
    ]
    for (const post of posts) expect((await outcome(post)).status).toBe(403)
    expect(await personRow(target.id)).toMatchObject({ name: 'Left Alone', active: true, roles: ['employee'] })
  })
})

describe('messages', () => {
  it('has both languages for every error the admin modules return', () => {
    const keys = [
      'people.emailTaken',
      'people.numberTaken',
      'people.managerCycle',
      'people.selfManager',
      'people.lastAdmin',
      'people.cannotDeactivateSelf',
      'people.atLeastOneRole',
      'admin.managerInactive',
      'admin.departmentNoSlash',
      'departments.nameTaken',
      'errors.invalid',
    ]
    for (const key of keys) {
      expect(hasMessage(key), key).toBe(true)
      expect(translator('zh-CN')(key)).not.toBe(translator('en')(key))
    }
  })
})
