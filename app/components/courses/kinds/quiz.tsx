import { Form, useActionData, useNavigation } from '@remix-run/react'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { pick } from '~/modules/courses/courses'
import { ModuleIntro } from './lesson-text'
import type { ModuleAction, ModuleData } from './types'

/** A quiz: the rules, the open attempt, the latest result and the history. */
export function QuizView({ data }: { data: ModuleData }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const actionData = useActionData<ModuleAction>()
  const navigation = useNavigation()
  const quiz = data.quiz!
  const failure = actionData && (actionData.intent === 'submit' || actionData.intent === 'start') && !actionData.ok ? actionData : null
  const flagged = new Set(failure?.questions ?? [])
  const busy = navigation.state !== 'idle'
  return (
    <section id="quiz" className="space-y-4" aria-labelledby="quiz-rules">
      <ModuleIntro html={data.module.html} />
      <div id="quiz-rules" className="card flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        <span>{t('quiz.questions', { count: quiz.questionCount })}</span>
        <span>{t('quiz.passMark', { mark: quiz.passMark })}</span>
        <span data-attempts>
          {quiz.maxAttempts === 0
            ? t('quiz.attemptsUnlimited', { used: quiz.attemptsUsed })
            : t('quiz.attempts', { used: quiz.attemptsUsed, limit: quiz.maxAttempts })}
        </span>
        <span>{t(`quiz.scoring.${quiz.scoring}`)}</span>
        {quiz.countedScore !== null ? <span className="font-medium">{t('quiz.counted', { score: quiz.countedScore })}</span> : null}
      </div>
      {failure ? (
        <div className="alert" role="alert">
          {t(failure.error)}
        </div>
      ) : null}

      {quiz.open ? (
        <Form method="post" className="space-y-4" aria-label={t('quiz.attemptN', { number: quiz.open.number })}>
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="attemptId" value={quiz.open.id} />
          <h2>{t('quiz.attemptN', { number: quiz.open.number })}</h2>
          <ol className="space-y-4">
            {quiz.open.questions.map((q, i) => {
              const multiple = q.type === 'multiple'
              const chosen = failure?.answers?.[q.id] ?? []
              return (
                <li key={q.id} className={`card space-y-3 ${flagged.has(q.id) ? 'border-red-400' : ''}`} data-question={q.id}>
                  {/* Not a <legend>: browsers always draw it first, and the scenario must come before the question. */}
                  <fieldset
                    className="space-y-3"
                    aria-labelledby={`${q.scenario ? `${q.id}-scenario ` : ''}${q.id}-prompt`}
                    aria-describedby={flagged.has(q.id) ? `${q.id}-error` : undefined}
                  >
                    {q.scenario ? (
                      <div className="rounded-md border-l-4 border-brand-600 bg-brand-50 px-3 py-2 text-slate-800">
                        <p className="text-xs font-semibold uppercase tracking-wide text-brand-800">{t('quiz.scenario')}</p>
                        <p id={`${q.id}-scenario`} className="mt-1 whitespace-pre-line">
                          {pick(q.scenario, locale)}
                        </p>
                      </div>
                    ) : null}
                    <p id={`${q.id}-prompt`} className="font-medium">
                      {i + 1}. {pick(q.prompt, locale)}
                    </p>
                    <p className="text-xs text-slate-600">{multiple ? t('quiz.chooseMany') : t('quiz.chooseOne')}</p>
                    <div className="space-y-2">
                      {q.options.map((o) => (
                        <label key={o.id} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
                          <input
                            type={multiple ? 'checkbox' : 'radio'}
                            name={`q.${q.id}`}
                            value={o.id}
                            defaultChecked={chosen.includes(o.id)}
                            className="mt-1 h-4 w-4 shrink-0 accent-brand-700"
                          />
                          <span>{pick(o.text, locale)}</span>
                        </label>
                      ))}
                    </div>
                    {flagged.has(q.id) ? (
                      <p id={`${q.id}-error`} className="field-error">
                        {t('courses.quiz.unanswered')}
                      </p>
                    ) : null}
                  </fieldset>
                </li>
              )
            })}
          </ol>
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
            {t('quiz.submit')}
          </button>
        </Form>
      ) : null}

      {!quiz.open && quiz.latest ? <QuizResult data={data} /> : null}

      {quiz.canStart ? (
        <Form method="post">
          <button type="submit" name="intent" value="start" className="btn-primary w-full sm:w-auto" disabled={busy}>
            {quiz.attemptsUsed > 0 ? t('quiz.retry') : t('quiz.start')}
          </button>
        </Form>
      ) : null}
      {!data.preview && !quiz.open && !quiz.passed && quiz.remaining === 0 ? (
        <p className="alert" role="status">
          {t('quiz.noAttemptsLeft')}
        </p>
      ) : null}

      {quiz.history.length > 1 ? (
        <section className="card" aria-labelledby="history">
          <h2 id="history">{t('quiz.history')}</h2>
          <ul className="mt-2 divide-y divide-slate-200 text-sm">
            {quiz.history.map((h) => (
              <li key={h.number} className="flex flex-wrap justify-between gap-2 py-2">
                <span>{t('quiz.attemptN', { number: h.number })}</span>
                <span className="tabular-nums">
                  {h.score}% · {h.passed ? t('quiz.passed') : t('quiz.failed')} · {formatDateTime(h.submittedAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {quiz.preview ? (
        <section className="space-y-3" aria-labelledby="preview-questions">
          <h2 id="preview-questions">{t('quiz.previewQuestions')}</h2>
          <ol className="space-y-3">
            {quiz.preview.map((q, i) => (
              <li key={q.id} className="card space-y-2 text-sm">
                {q.scenario ? <p className="whitespace-pre-line text-slate-700">{pick(q.scenario, locale)}</p> : null}
                <p className="font-medium">
                  {i + 1}. {pick(q.prompt, locale)}
                </p>
                <ul className="list-disc pl-5">
                  {q.options.map((o) => (
                    <li key={o.id}>{pick(o.text, locale)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </section>
  )
}

function QuizResult({ data }: { data: ModuleData }) {
  const t = useT()
  const locale = useLocale()
  const quiz = data.quiz!
  const latest = quiz.latest!
  const optionText = (q: (typeof latest.questions)[number], ids: string[]) =>
    ids.map((id) => pick(q.options.find((o) => o.id === id)?.text, locale)).join(locale === 'en' ? '; ' : '；') || '—'
  return (
    <section id="result" className="space-y-4" aria-labelledby="result-title">
      <div className={`card ${latest.passed ? 'border-emerald-300 bg-emerald-50' : 'border-amber-300 bg-amber-50'}`} role="status">
        <h2 id="result-title">
          {t('quiz.attemptN', { number: latest.number })}: {latest.passed ? t('quiz.passed') : t('quiz.failed')}
        </h2>
        <p className="mt-1 text-lg font-semibold tabular-nums" data-score={latest.score}>
          {t('quiz.yourScore', { score: latest.score, mark: quiz.passMark })}
        </p>
      </div>
      <ol className="space-y-3">
        {latest.questions.map((q, i) => (
          <li
            key={q.id}
            className={`card space-y-2 border-l-4 ${q.correct ? 'border-l-emerald-600' : 'border-l-red-600'}`}
            data-feedback={q.correct ? 'correct' : 'incorrect'}
          >
            {q.scenario ? <p className="whitespace-pre-line text-sm text-slate-700">{pick(q.scenario, locale)}</p> : null}
            <p className="font-medium">
              {i + 1}. {pick(q.prompt, locale)}
            </p>
            <p className={`text-sm font-semibold ${q.correct ? 'text-emerald-800' : 'text-red-800'}`}>
              {q.correct ? `✓ ${t('quiz.correct')}` : `✗ ${t('quiz.incorrect')}`}
            </p>
            <p className="text-sm">
              <span className="text-slate-600">{t('quiz.yourAnswer')}</span> {optionText(q, q.chosen)}
            </p>
            {!q.correct ? (
              <p className="text-sm">
                <span className="text-slate-600">{t('quiz.rightAnswer')}</span> {optionText(q, q.answer)}
              </p>
            ) : null}
            <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
              <span className="font-medium">{t('quiz.explanation')}</span> {pick(q.explanation, locale)}
            </p>
          </li>
        ))}
      </ol>
    </section>
  )
}
