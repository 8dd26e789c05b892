import { Form, NavLink, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { Locale } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { can, hasRole, type Role } from '~/modules/auth/permissions'
import { LanguageSwitcher } from './language-switcher'

type ShellUser = { id: string; name: string; roles: Role[] } | null

type NavItem = { to: string; label: string }

/** Navigation that fits the person's roles; a person with several roles sees each section. */
export function useNavigation(user: ShellUser): { section: string; items: NavItem[] }[] {
  const t = useT()
  if (!user) return []
  const sections: { section: string; items: NavItem[] }[] = []
  const learn: NavItem[] = [{ to: '/', label: t('nav.home') }, { to: '/learn', label: t('nav.myLearning') }]
  if (hasRole(user, 'manager')) learn.push({ to: '/team', label: t('nav.myTeam') })
  if (can(user, 'read:kpi:team')) learn.push({ to: '/kpi', label: t('nav.kpi') })
  // External lecturers teach; they are not invited to sessions, so they get only the Teach entry.
  const onlyLecturer = user.roles.every((r) => r === 'lecturer')
  if (can(user, 'attend:sessions:own') && !onlyLecturer) {
    learn.push({ to: '/my/sessions', label: t('nav.mySessions') }, { to: '/check-in', label: t('nav.checkIn') })
  }
  // Trainers and HR work with the video library; learners reach videos from their courses or /videos.
  if (can(user, 'edit:videos:all')) learn.push({ to: '/videos', label: t('nav.videos') })
  sections.push({ section: t('nav.section.learn'), items: learn })
  const teach: NavItem[] = []
  if (can(user, 'read:sessions:own')) teach.push({ to: '/sessions', label: onlyLecturer ? t('nav.lecturerSessions') : t('nav.sessions') })
  // Attendance reports: HR and managers across people, trainers and lecturers for the sessions they teach.
  if (can(user, 'read:attendance-reports:all') || can(user, 'read:attendance-reports:team') || can(user, 'read:attendance-reports:own-session')) {
    teach.push({ to: '/reports/attendance', label: t('nav.attendanceReports') })
  }
  if (can(user, 'read:progress:all')) {
    teach.push({ to: '/admin/courses', label: t('nav.courses') }, { to: '/admin/progress', label: t('nav.progress') })
  }
  // Reaction survey results: HR sees every trainer, trainers and lecturers their own sessions.
  if (can(user, 'read:surveys:own')) teach.push({ to: '/admin/surveys', label: t('nav.surveys') })
  if (teach.length) sections.push({ section: t('nav.section.teach'), items: teach })
  if (can(user, 'manage:people:all')) {
    sections.push({
      section: t('nav.section.manage'),
      items: [
        { to: '/admin/people', label: t('nav.people') },
        { to: '/admin/departments', label: t('nav.departments') },
        { to: '/admin/import', label: t('nav.import') },
        { to: '/admin/outbox', label: t('nav.outbox') },
        { to: '/admin/audit', label: t('nav.audit') },
        { to: '/admin/kpi', label: t('nav.kpiAdmin') },
      ],
    })
  }
  return sections
}

/** The bell: a link to /notifications whose name says how many are unread (screen readers announce it). */
function NotificationBell({ unread }: { unread: number }) {
  const t = useT()
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bellNone')
  return (
    <NavLink
      to="/notifications"
      aria-label={label}
      title={label}
      className={({ isActive }) =>
        `relative inline-flex h-9 w-9 items-center justify-center rounded-md text-slate-700 no-underline hover:bg-slate-100 hover:no-underline ${isActive ? 'bg-brand-50 text-brand-800' : ''}`
      }
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          data-testid="unread-count"
          className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs font-semibold leading-5 text-white"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </NavLink>
  )
}

export function AppShell({
  user,
  locale,
  unreadNotifications = 0,
  children,
}: {
  user: ShellUser
  locale: Locale
  unreadNotifications?: number
  children: ReactNode
}) {
  const t = useT()
  const sections = useNavigation(user)
  const location = useLocation()
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t('nav.skipToContent')}
      </a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <a href="/" className="mr-auto flex items-baseline gap-2 text-slate-900 no-underline hover:no-underline">
            <span className="text-xl font-bold text-brand-700">{t('app.name')}</span>
            <span className="hidden text-sm text-slate-600 sm:inline">{t('app.tagline')}</span>
          </a>
          <LanguageSwitcher locale={locale} redirectTo={location.pathname + location.search} />
          {user ? (
            <div className="flex items-center gap-2 text-sm">
              <NotificationBell unread={unreadNotifications} />
              <NavLink to="/account" className="max-w-40 truncate text-slate-800">
                {user.name}
              </NavLink>
              <Form method="post" action="/logout">
                <button type="submit" className="btn-secondary min-h-9 px-3 py-1">
                  {t('nav.signOut')}
                </button>
              </Form>
            </div>
          ) : null}
        </div>
        {sections.length > 0 ? (
          <nav aria-label={t('nav.menu')} className="mx-auto max-w-6xl px-4 pb-2">
            <ul className="flex flex-wrap gap-x-1 gap-y-1 text-sm">
              {sections.flatMap((s) =>
                s.items.map((item) => (
                  <li key={item.to}>
                    <NavLink
                      to={item.to}
                      end={item.to === '/'}
                      className={({ isActive }) =>
                        `block rounded-md px-3 py-2 no-underline hover:bg-slate-100 hover:no-underline ${isActive ? 'bg-brand-50 font-semibold text-brand-800' : 'text-slate-700'}`
                      }
                    >
                      {item.label}
                    </NavLink>
                  </li>
                )),
              )}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">
        {children}
      </main>
    </>
  )
}
