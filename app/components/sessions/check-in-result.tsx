import { useFormatDateTime, useT } from '~/i18n/use-t'
import type { CheckInRefusal } from '~/modules/attendance/attendance'

export type CheckInOutcome = { ok: true; status: string; already: boolean; title: string } | { ok: false; reason: CheckInRefusal; opensAt?: Date | string }

/** What happened to a check-in, in words the person in the room understands. */
export function CheckInResult({ outcome }: { outcome: CheckInOutcome }) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  if (outcome.ok) {
    const status = t(`attendance.status.${outcome.status}`)
    return (
      <p className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-4 text-lg text-emerald-900" role="status">
        {t(outcome.already ? 'attendance.alreadyCheckedIn' : 'attendance.checkedIn', { title: outcome.title, status })}
      </p>
    )
  }
  return (
    <p className="alert text-base" role="alert" suppressHydrationWarning>
      {t(`attendance.refused.${outcome.reason}`, { time: outcome.opensAt ? formatDateTime(outcome.opensAt) : '' })}
    </p>
  )
}
