import { hasMessageIn } from '~/i18n/runtime'
import { useLocale, useT } from '~/i18n/use-t'

/** A known kind in the viewer's language; a kind added later still shows, as its code. */
export function EmailKind({ kind }: { kind: string }) {
  const t = useT()
  const locale = useLocale()
  const key = `admin.outbox.kind.${kind}`
  return <>{hasMessageIn(locale, key) ? t(key) : kind}</>
}

const statusStyle: Record<string, string> = {
  queued: 'bg-amber-100 text-amber-900',
  sent: 'bg-green-100 text-green-900',
  failed: 'bg-red-100 text-red-900',
  outbox: 'bg-slate-200 text-slate-800',
}

export function EmailStatus({ status }: { status: string }) {
  const t = useT()
  return <span className={`badge ${statusStyle[status] ?? ''}`}>{t(`outbox.status.${status}`)}</span>
}
