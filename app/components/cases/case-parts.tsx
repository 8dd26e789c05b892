import { useLocale, useT } from '~/i18n/use-t'
import type { Localized } from '~/i18n/define'

type CaseView = { title: Localized; narrative: Localized; questions: Localized[]; keyPoints: number[] | null; trainerNotes: Localized | null }

function paragraphs(text: string) {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
}

/** A case as learners read it; key points and trainer notes appear only when given (staff). */
export function CaseText({ theCase }: { theCase: CaseView }) {
  const t = useT()
  const locale = useLocale()
  const pick = (l: Localized) => l[locale] || l.en
  return (
    <article className="card space-y-3" data-case>
      <h2>{pick(theCase.title)}</h2>
      {paragraphs(pick(theCase.narrative)).map((p, i) => (
        <p key={i} className="whitespace-pre-wrap">
          {p}
        </p>
      ))}
      <h3 className="font-semibold">{t('cases.questions')}</h3>
      <ol className="list-decimal space-y-1 pl-6">
        {theCase.questions.map((q, i) => (
          <li key={i}>{pick(q)}</li>
        ))}
      </ol>
      {theCase.keyPoints ? (
        <p className="text-sm" data-key-points>
          <strong>{t('cases.keyPoints')}</strong> {theCase.keyPoints.join(', ')}
        </p>
      ) : null}
      {theCase.trainerNotes ? (
        <div className="rounded-md border border-violet-300 bg-violet-50 p-3" data-trainer-notes>
          <h3 className="font-semibold text-violet-900">{t('cases.trainerNotes')}</h3>
          {paragraphs(pick(theCase.trainerNotes)).map((p, i) => (
            <p key={i} className="text-sm text-violet-900">
              {p}
            </p>
          ))}
        </div>
      ) : null}
    </article>
  )
}

type Results = {
  released: boolean
  grade: {
    score: number
    levels: Record<string, number>
    comment: string
    slideComments: { page: number; text: string }[]
    rubric: { id: string; title: Localized; levels: { label: Localized; points: number }[] }[]
    ownMark: number | null
    peer: { average: number; comments: string[] } | null
  } | null
}

/** The released grade as a member sees it: rubric levels, comments, their own mark, anonymous peer ratings. */
export function GradeResults({ results, staff }: { results: Results; staff: boolean }) {
  const t = useT()
  const locale = useLocale()
  const g = results.grade
  if (!g) return null
  const pick = (l: Localized) => l[locale] || l.en
  return (
    <section className="card space-y-3" data-grade-results>
      <h2>{t('cases.grade.results')}</h2>
      {staff && !results.released ? <p className="notice">{t('cases.grade.notReleasedStaff')}</p> : null}
      <p className="text-lg">
        {t('cases.grade.groupScore', { score: g.score })}
        {g.ownMark !== null ? (
          <>
            {' · '}
            <strong data-own-mark>{t('cases.grade.ownMark', { mark: g.ownMark })}</strong>
          </>
        ) : null}
      </p>
      <table className="w-full text-sm">
        <tbody>
          {g.rubric.map((c) => {
            const level = c.levels[g.levels[c.id]]
            return (
              <tr key={c.id} className="border-t border-slate-200">
                <th className="py-1 pr-2 text-left font-medium">{pick(c.title)}</th>
                <td>{level ? `${pick(level.label)} (${level.points})` : '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {g.comment ? (
        <p className="whitespace-pre-wrap" data-grade-comment>
          {g.comment}
        </p>
      ) : null}
      {g.slideComments.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {g.slideComments.map((c, i) => (
            <li key={i}>
              <strong>{t('cases.grade.slide', { page: c.page })}</strong> {c.text}
            </li>
          ))}
        </ul>
      ) : null}
      {g.peer ? (
        <div className="text-sm">
          <p>{t('cases.peer.average', { average: g.peer.average.toFixed(1) })}</p>
          <ul className="list-disc pl-6">
            {g.peer.comments.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}
