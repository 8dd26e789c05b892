import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { DepartmentOptions } from '~/components/admin/department-options'
import { pageTitle } from '~/components/admin/page-title'
import { RouteErrorBoundary } from '~/components/route-error'
import type { Translate } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { roles, type Role } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { listDepartmentOptions } from '~/modules/org/departments.server'
import { PeopleFilters } from '~/modules/org/org'
import { listPeople } from '~/modules/org/people.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('people.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filters = PeopleFilters.parse(Object.fromEntries(new URL(request.url).searchParams))
  const result = await listPeople(user, filters)
  const departments = await listDepartmentOptions(user)
  return { ...result, filters, departments }
}

/** The list URL for these filters; empty ones are left out so links stay short. */
function listHref(filters: PeopleFilters, page: number) {
  const params = new URLSearchParams()
  if (filters.q) params.set('q', filters.q)
  if (filters.department) params.set('department', filters.department)
  if (filters.role) params.set('role', filters.role)
  if (filters.status !== 'active') params.set('status', filters.status)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/admin/people?${query}` : '/admin/people'
}

type Person = ReturnType<typeof useLoaderData<typeof loader>>['people'][number]

function StatusBadges({ person, t }: { person: Person; t: Translate }) {
  return (
    <span className="flex flex-wrap gap-1">
      {person.active ? (
        <span className="badge bg-green-100 text-green-900">{t('common.active')}</span>
      ) : (
        <span className="badge bg-slate-300 text-slate-900">{t('common.inactive')}</span>
      )}
      {!person.hasPassword && person.active ? <span className="badge bg-amber-100 text-amber-900">{t('people.pendingInvite')}</span> : null}
    </span>
  )
}

function RoleBadges({ roles, t }: { roles: Role[]; t: Translate }) {
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map((r) => (
        <span key={r} className="badge">
          {t(`role.${r}`)}
        </span>
      ))}
    </span>
  )
}

export default function PeopleList() {
  const t = useT()
  const { people, total, pages, filters, departments } = useLoaderData<typeof loader>()
  const filtered = Boolean(filters.q || filters.department || filters.role || filters.status !== 'active')
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1>{t('people.title')}</h1>
        <Link to="/admin/people/invite" className="btn-primary">
          {t('people.invite')}
        </Link>
      </div>

      {/* Keyed by the filters so the fields show the URL's values after "clear" or back/forward. */}
      <Form
        method="get"
        role="search"
        aria-label={t('admin.people.filters')}
        key={listHref(filters, 1)}
        className="card grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_2fr_1fr_1fr]"
      >
        <div className="sm:col-span-2 lg:col-span-1">
          <label htmlFor="people-q" className="label">
            {t('people.searchLabel')}
          </label>
          <input id="people-q" name="q" type="search" defaultValue={filters.q ?? ''} className="input h-11" maxLength={100} />
        </div>
        <div>
          <label htmlFor="people-department" className="label">
            {t('common.department')}
          </label>
          <select id="people-department" name="department" defaultValue={filters.department ?? ''} className="input h-11">
            <option value="">{t('people.allDepartments')}</option>
            <DepartmentOptions departments={departments} />
          </select>
        </div>
        <div>
          <label htmlFor="people-role" className="label">
            {t('common.roles')}
          </label>
          <select id="people-role" name="role" defaultValue={filters.role ?? ''} className="input h-11">
            <option value="">{t('people.allRoles')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="people-status" className="label">
            {t('common.status')}
          </label>
          <select id="people-status" name="status" defaultValue={filters.status} className="input h-11">
            <option value="active">{t('people.statusActive')}</option>
            <option value="inactive">{t('people.statusInactive')}</option>
            <option value="all">{t('people.statusAll')}</option>
          </select>
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
          <button type="submit" className="btn-primary">
            {t('common.search')}
          </button>
          {filtered ? (
            <Link to="/admin/people" className="text-sm">
              {t('admin.people.clearFilters')}
            </Link>
          ) : null}
        </div>
      </Form>

      <p className="text-sm text-slate-700" role="status">
        {t('common.results', { count: total })}
      </p>

      {people.length === 0 ? (
        <p className="card text-slate-700">{t('people.empty')}</p>
      ) : (
        <>
          <div className="card hidden overflow-x-auto !p-0 sm:block">
            <table className="table">
              <caption className="sr-only">{t('people.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('common.employeeNumber')}</th>
                  <th scope="col">{t('common.email')}</th>
                  <th scope="col">{t('common.department')}</th>
                  <th scope="col">{t('common.manager')}</th>
                  <th scope="col">{t('common.roles')}</th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" className="!border-b !border-slate-200 !bg-transparent !font-normal">
                      <Link to={`/admin/people/${p.id}`} className="font-medium">
                        {p.name}
                      </Link>
                    </th>
                    <td className="whitespace-nowrap">{p.employeeNumber ?? '—'}</td>
                    <td className="break-all">{p.email}</td>
                    <td>{p.departmentPath ?? '—'}</td>
                    <td>{p.managerName ?? '—'}</td>
                    <td>
                      <RoleBadges roles={p.roles} t={t} />
                    </td>
                    <td>
                      <StatusBadges person={p} t={t} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {/* Below `sm` the table becomes one card per person. */}
          <ul className="space-y-2 sm:hidden">
            {people.map((p) => (
              <li key={p.id} className="card space-y-1 !p-3">
                <p className="flex flex-wrap items-baseline justify-between gap-x-2">
                  <Link to={`/admin/people/${p.id}`} className="font-medium">
                    {p.name}
                  </Link>
                  {p.employeeNumber ? <span className="text-sm text-slate-600">{p.employeeNumber}</span> : null}
                </p>
                <p className="break-all text-sm text-slate-700">{p.email}</p>
                <dl className="text-sm text-slate-700">
                  <div className="flex gap-1">
                    <dt className="sr-only">{t('common.department')}</dt>
                    <dd>{p.departmentPath ?? t('people.noDepartment')}</dd>
                  </div>
                  <div className="flex gap-1">
                    <dt className="text-slate-600">{t('common.manager')}:</dt>
                    <dd>{p.managerName ?? '—'}</dd>
                  </div>
                </dl>
                <div className="flex flex-wrap gap-1 pt-1">
                  <span className="sr-only">{t('common.roles')}:</span>
                  <RoleBadges roles={p.roles} t={t} />
                  <span className="sr-only">{t('common.status')}:</span>
                  <StatusBadges person={p} t={t} />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      {pages > 1 ? (
        <nav aria-label={t('admin.people.pagination')} className="flex flex-wrap items-center justify-between gap-3">
          {filters.page > 1 ? (
            <Link to={listHref(filters, Math.min(filters.page - 1, pages))} className="btn-secondary" rel="prev">
              {t('common.previous')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-700">{t('common.page', { page: filters.page, pages })}</span>
          {filters.page < pages ? (
            <Link to={listHref(filters, filters.page + 1)} className="btn-secondary" rel="next">
              {t('common.next')}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
