import { Form, NavLink, useLocation } from '@remix-run/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { Locale } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { can, hasRole, type Role } from '~/modules/auth/permissions'
import { LanguageSwitcher } from './language-switcher'

type ShellUser = { id: string; name: string; roles: Role[] } | null

type NavItem = { to: string; label: string }
type NavUser = NonNullable<ShellUser>

/**
 * The navigation as data: four groups, each entry a link and who sees it. A new page is one
 * entry (its label a message key); the shell renders the groups that have entries for the person.
 */
export const NAV_GROUPS: {
  id: 'learning' | 'delivery' | 'reports' | 'admin'
  label: string
  entries: { to: string; label: string; show: (u: NavUser) => boolean }[]
}[] = [
  {
    id: 'learning',
    label: 'nav.section.learn',
    entries: [
      { to: '/', label: 'nav.home', show: () => true },
      { to: '/learn', label: 'nav.myLearning', show: () => true },
      { to: '/team', label: 'nav.myTeam', show: (u) => hasRole(u, 'manager') },
      // External lecturers teach; they are not invited to sessions, so they get only their teaching entry.
      { to: '/my/sessions', label: 'nav.mySessions', show: (u) => can(u, 'attend:sessions:own') && !onlyLecturer(u) },
      { to: '/check-in', label: 'nav.checkIn', show: (u) => can(u, 'attend:sessions:own') && !onlyLecturer(u) },
      { to: '/my/follow-up', label: 'nav.followUp', show: (u) => can(u, 'take:follow-up:own') },
      { to: '/groups', label: 'nav.myGroups', show: (u) => can(u, 'attend:sessions:own') && !onlyLecturer(u) },
    ],
  },
  {
    id: 'delivery',
    label: 'nav.section.teach',
    entries: [
      { to: '/sessions', label: 'nav.sessions', show: (u) => can(u, 'read:sessions:own') && !onlyLecturer(u) },
      { to: '/sessions', label: 'nav.lecturerSessions', show: (u) => can(u, 'read:sessions:own') && onlyLecturer(u) },
      // Trainers and HR work with the video library; learners reach videos from their courses.
      { to: '/videos', label: 'nav.videos', show: (u) => can(u, 'edit:videos:all') },
      { to: '/admin/courses', label: 'nav.courses', show: (u) => can(u, 'read:progress:all') },
      { to: '/admin/cases', label: 'nav.cases', show: (u) => can(u, 'read:cases:all') },
      { to: '/roleplays/scenarios', label: 'nav.roleplayScenarios', show: (u) => can(u, 'read:roleplay-scenarios:all') },
    ],
  },
  {
    id: 'reports',
    label: 'nav.section.reports',
    entries: [
      // HR and managers across people, trainers and lecturers for the sessions they teach.
      {
        to: '/reports/attendance',
        label: 'nav.attendanceReports',
        show: (u) => can(u, 'read:attendance-reports:all') || can(u, 'read:attendance-reports:team') || can(u, 'read:attendance-reports:own-session'),
      },
      { to: '/admin/progress', label: 'nav.progress', show: (u) => can(u, 'read:progress:all') },
      { to: '/admin/surveys', label: 'nav.surveys', show: (u) => can(u, 'read:surveys:own') },
      { to: '/admin/follow-up', label: 'nav.followUpMeasures', show: (u) => can(u, 'read:follow-up-measures:all') },
      { to: '/kpi', label: 'nav.kpi', show: (u) => can(u, 'read:kpi:team') },
    ],
  },
  {
    id: 'admin',
    label: 'nav.section.manage',
    entries: [
      { to: '/admin/people', label: 'nav.people', show: (u) => can(u, 'manage:people:all') },
      { to: '/admin/departments', label: 'nav.departments', show: (u) => can(u, 'manage:people:all') },
      { to: '/admin/import', label: 'nav.import', show: (u) => can(u, 'manage:people:all') },
      { to: '/admin/outbox', label: 'nav.outbox', show: (u) => can(u, 'manage:people:all') },
      { to: '/admin/audit', label: 'nav.audit', show: (u) => can(u, 'manage:people:all') },
      { to: '/admin/kpi', label: 'nav.kpiAdmin', show: (u) => can(u, 'manage:people:all') },
    ],
  },
]

function onlyLecturer(user: NavUser) {
  return user.roles.every((r) => r === 'lecturer')
}

/** Navigation that fits the person's roles; a person with several roles sees each group. */
export function useNavigation(user: ShellUser): { id: string; section: string; items: NavItem[] }[] {
  const t = useT()
  if (!user) return []
  return NAV_GROUPS.map((g) => ({
    id: g.id,
    section: t(g.label),
    items: g.entries.filter((e) => e.show(user)).map((e) => ({ to: e.to, label: t(e.label) })),
  })).filter((g) => g.items.length > 0)
}

/**
 * The grouped menu: on wide screens every group is shown with its name; on phones one
 * disclosure button opens it (aria-expanded), Escape closes it and gives focus back to the button,
 * and following a link closes it.
 */
function MainNav({ sections }: { sections: ReturnType<typeof useNavigation> }) {
  const t = useT()
  const location = useLocation()
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)
  useEffect(() => setOpen(false), [location.pathname])
  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      button.current?.focus()
    }
    const onClick = (event: MouseEvent) => {
      if (!panel.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onClick)
    // Focus moves into the opened menu, to its first link.
    panel.current?.querySelector('a')?.focus()
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onClick)
    }
  }, [open])
  return (
    <nav aria-label={t('nav.menu')} className="mx-auto max-w-6xl px-4 pb-2">
      <button
        ref={button}
        type="button"
        className="btn-secondary min-h-9 px-3 py-1 md:hidden"
        aria-expanded={open}
        aria-controls="main-menu"
        onClick={() => setOpen((v) => !v)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="mr-2 h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 6h16M4 12h16M4 18h16" />}
        </svg>
        {t('nav.menu')}
      </button>
      <div
        ref={panel}
        id="main-menu"
        className={`${open ? 'block' : 'hidden'} mt-2 space-y-3 md:mt-0 md:flex md:flex-wrap md:items-start md:gap-x-6 md:gap-y-1 md:space-y-0`}
      >
        {sections.map((s) => (
          <div key={s.id} role="group" aria-labelledby={`nav-${s.id}`} className="md:flex md:items-center md:gap-1">
            <p id={`nav-${s.id}`} className="px-3 text-xs font-semibold uppercase tracking-wide text-slate-500 md:px-1">
              {s.section}
            </p>
            <ul className="text-sm md:flex md:flex-wrap md:gap-x-0.5">
              {s.items.map((item) => (
                <li key={item.to + item.label}>
                  <NavLink
                    to={item.to}
                    end={item.to === '/'}
                    className={({ isActive }) =>
                      `block rounded-md px-3 py-2 no-underline hover:bg-slate-100 hover:no-underline md:px-2 ${isActive ? 'bg-brand-50 font-semibold text-brand-800' : 'text-slate-700'}`
                    }
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </nav>
  )
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
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
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
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
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
        {sections.length > 0 ? <MainNav sections={sections} /> : null}
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">
        {children}
      </main>
    </>
  )
}
