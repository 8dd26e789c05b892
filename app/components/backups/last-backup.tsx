import { useMemo } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import type { LastBackup } from '~/modules/backups/backups'

const STALE_DAYS = 2

/** One line on the HR home page: when the last backup was taken (amber when old or missing). */
export function LastBackupNote({ last }: { last: LastBackup }) {
  const t = useT()
  const locale = useLocale()
  const format = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }), [locale])
  if (!last) return <p className="mt-3 text-sm text-amber-900">{t('backups.none')}</p>
  const at = new Date(last.at)
  // Server and browser clocks can disagree only right at the boundary; the badge is a hint.
  const stale = Date.now() - at.getTime() > STALE_DAYS * 86_400_000
  return (
    <p className="mt-3 text-sm text-slate-600" data-testid="last-backup">
      {t('backups.last', { when: format.format(at) })}
      {stale ? <span className="badge ml-2 bg-amber-100 text-amber-900">{t('backups.stale', { days: STALE_DAYS })}</span> : null}
    </p>
  )
}
