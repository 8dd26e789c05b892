import { useMemo } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import { formatSessionTime } from '~/shared/time'

const invitationColours: Record<string, string> = {
  invited: 'bg-slate-200 text-slate-800',
  accepted: 'bg-emerald-100 text-emerald-900',
  declined: 'bg-red-100 text-red-900',
  waitlisted: 'bg-amber-100 text-amber-900',
}

export function InvitationBadge({ status, rank }: { status: string; rank?: number | null }) {
  const t = useT()
  return (
    <span className={`badge ${invitationColours[status] ?? ''}`}>
      {status === 'waitlisted' && rank ? t('sessions.waitlistRank', { rank }) : t(`sessions.invitation.${status}`)}
    </span>
  )
}

const attendanceColours: Record<string, string> = {
  present: 'bg-emerald-100 text-emerald-900',
  late: 'bg-amber-100 text-amber-900',
  excused: 'bg-sky-100 text-sky-900',
  absent: 'bg-red-100 text-red-900',
  unmarked: 'bg-slate-200 text-slate-800',
}

export function AttendanceBadge({ status }: { status: string | null }) {
  const t = useT()
  const key = status ?? 'unmarked'
  return <span className={`badge ${attendanceColours[key]}`}>{t(`attendance.status.${key}`)}</span>
}

/**
 * A session's time in the reader's language and the session's own zone. Node's and the
 * browser's ICU differ in small ways (the space before "AM"), so elements showing it carry
 * suppressHydrationWarning: the browser's rendering simply wins.
 */
export function useSessionTime() {
  const locale = useLocale()
  return useMemo(
    () => (s: { startsAt: Date | string; endsAt: Date | string; timeZone: string }) => formatSessionTime(locale, s.startsAt, s.endsAt, s.timeZone),
    [locale],
  )
}

/** Where a session takes place: its room, its online link (shown as `linkText`, or as the address itself), or both. */
export function SessionPlace({ place, onlineUrl, linkText }: { place: string | null; onlineUrl: string | null; linkText?: string }) {
  return (
    <>
      {place}
      {place && onlineUrl ? ' · ' : ''}
      {onlineUrl ? (
        <a href={onlineUrl} target="_blank" rel="noreferrer">
          {linkText ?? onlineUrl}
        </a>
      ) : null}
    </>
  )
}
