import { Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'

/**
 * Previous / "Page 2 of 7" / Next for a paged list, with the range shown ("51–100 of 340").
 * `href(page)` builds the link so every filter stays in the URL across pages. Nothing when
 * everything fits on one page, but the count still shows.
 */
export function Pagination({
  page,
  pages,
  total,
  pageSize,
  href,
  label,
  rangeKey,
}: {
  page: number
  pages: number
  total: number
  pageSize: number
  href: (page: number) => string
  label: string
  /** A message with {from}, {to} and {total}. */
  rangeKey: string
}) {
  const t = useT()
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1
  const to = Math.min(total, page * pageSize)
  const range = (
    <p className="text-sm text-slate-700" data-range>
      {t(rangeKey, { from, to, total })}
    </p>
  )
  if (pages <= 1) return total > 0 ? range : null
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3">
      {page > 1 ? (
        <Link to={href(page - 1)} className="btn-secondary" rel="prev">
          {t('common.previous')}
        </Link>
      ) : (
        <span />
      )}
      <div className="text-center">
        <p className="text-sm font-medium">{t('common.page', { page, pages })}</p>
        {range}
      </div>
      {page < pages ? (
        <Link to={href(page + 1)} className="btn-secondary" rel="next">
          {t('common.next')}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  )
}
