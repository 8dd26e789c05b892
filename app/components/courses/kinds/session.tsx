import { Link, useFetcher } from '@remix-run/react'
import { AttendanceBadge, InvitationBadge, SessionPlace, useSessionTime } from '~/components/sessions/badges'
import { InvitationAnswerFields } from '~/components/sessions/invitation-answer'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { ModuleIntro } from './lesson-text'
import type { ModuleData } from './types'

/** A classroom programme: the person's sessions of it, to answer the invitation, and the attendance that completes it. */
export function SessionView({ data }: { data: ModuleData }) {
  const t = useT()
  const sessionTime = useSessionTime()
  const list = data.sessions?.sessions ?? []
  return (
    <div className="space-y-3">
      <ModuleIntro html={data.module.html} />
      <p className="text-sm text-slate-700" data-rule="session">
        {t('module.session.rule')}
      </p>
      {data.preview ? null : list.length === 0 ? (
        <p className="notice" role="status" data-no-sessions>
          {t('module.session.none')}
        </p>
      ) : (
        <ul className="space-y-3">
          {list.map((s) => (
            <SessionItem key={s.sessionId} s={s} sessionTime={sessionTime} />
          ))}
        </ul>
      )}
      <p className="text-sm">
        <Link to="/my/sessions">{t('module.session.mySessions')}</Link>
      </p>
    </div>
  )
}

type ModuleSession = NonNullable<ModuleData['sessions']>['sessions'][number]

function SessionItem({ s, sessionTime }: { s: ModuleSession; sessionTime: ReturnType<typeof useSessionTime> }) {
  const t = useT()
  // Answers go to My sessions' action (same rules, same e-mails); this page just reloads its data.
  const respond = useFetcher<{ sessionId: string; error?: string; notice?: string }>({ key: `respond-${s.sessionId}` })
  const busy = respond.state !== 'idle'
  const cancelled = s.sessionStatus === 'cancelled'
  const attended = !cancelled && (s.attendance === 'present' || s.attendance === 'late')
  return (
    <li className="card space-y-2 !p-4" data-session={s.sessionId} data-invitation={s.status} data-attendance={s.attendance ?? 'unmarked'}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="mr-auto text-base font-semibold">{s.title}</h3>
        {cancelled ? (
          <span className="badge bg-red-100 text-red-900">{t('module.session.cancelled')}</span>
        ) : (
          <InvitationBadge status={s.status} rank={s.waitlistRank} />
        )}
      </div>
      <p className="text-sm text-slate-700" suppressHydrationWarning>
        {sessionTime(s)}
      </p>
      {s.place || s.onlineUrl ? (
        <p className="text-sm text-slate-700">
          <SessionPlace place={s.place} onlineUrl={s.onlineUrl} linkText={t('module.session.online')} />
        </p>
      ) : null}
      {s.attendance ? (
        <p className="text-sm">
          {t('mySessions.attendance')}: <AttendanceBadge status={s.attendance} />
        </p>
      ) : null}
      {attended ? <p className="text-sm text-emerald-800">{t('module.session.attended')}</p> : null}
      {s.attendance === 'excused' ? <p className="text-sm text-slate-700">{t('module.session.excused')}</p> : null}
      {respond.data?.notice ? (
        <p className="notice" role="status">
          {t(respond.data.notice)}
        </p>
      ) : null}
      {respond.data?.error ? <FieldErrors errors={[respond.data.error]} /> : null}
      {s.answerable ? (
        <>
          <respond.Form method="post" action="/my/sessions" className="flex flex-wrap gap-2">
            <InvitationAnswerFields sessionId={s.sessionId} status={s.status} busy={busy} />
          </respond.Form>
          {s.status !== 'declined' && !s.absence ? <p className="text-xs text-slate-600">{t('module.session.askExcused')}</p> : null}
        </>
      ) : null}
    </li>
  )
}
