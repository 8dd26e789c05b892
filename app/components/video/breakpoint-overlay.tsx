import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useT } from '~/i18n/use-t'
import { breakpointDone, formatTime, type PlayerBreakpoint } from '~/modules/videos/videos'

type Props = {
  bp: PlayerBreakpoint
  index: number
  total: number
  peers?: string[]
  pending: boolean
  error: string | null
  onAcknowledge: () => void
  onAnswer: (optionIds: string[]) => void
  onPredict: (text: string) => void
  onContinue: () => void
  /** Called once the overlay is on screen (for the pause-accuracy measurement). */
  onShown?: () => void
}

const isControl = (target: EventTarget | null) => target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(target.tagName)

/**
 * A breakpoint's commentary over the stopped video. Predict-then-reveal and the question come
 * first; the commentary shows after. Focus moves here; Enter, Space or Esc continue when the
 * breakpoint allows it (required ones must be acknowledged / answered first).
 */
export function BreakpointOverlay({ bp, index, total, peers, pending, error, onAcknowledge, onAnswer, onPredict, onContinue, onShown }: Props) {
  const t = useT()
  const headingId = useId()
  const bodyId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [chosen, setChosen] = useState<string[]>([])
  const [prediction, setPrediction] = useState('')
  const response = bp.response
  const needsPrediction = Boolean(bp.predictPrompt && !response?.prediction)
  const needsAnswer = Boolean(bp.question && !response?.answer)
  const canContinue = breakpointDone(bp)
  const needsAck = bp.mustAcknowledge && !response?.acknowledged && !needsAnswer && !needsPrediction

  useEffect(() => {
    heading.current?.focus()
    setChosen([])
    setPrediction('')
    const frame = requestAnimationFrame(() => onShown?.())
    return () => cancelAnimationFrame(frame)
    // Only when another breakpoint opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bp.id])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = event.key
    if (key !== 'Escape' && key !== 'Enter' && key !== ' ') return
    if (key !== 'Escape' && isControl(event.target)) return
    event.preventDefault()
    event.stopPropagation()
    if (canContinue) onContinue()
  }

  const optionText = (id: string) => bp.question?.options.find((o) => o.id === id)?.text ?? id

  return (
    <div
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      aria-describedby={bodyId}
      data-testid="breakpoint-overlay"
      data-breakpoint={bp.id}
      onKeyDown={onKeyDown}
      className="z-10 w-full overflow-y-auto bg-slate-900/85 p-3 text-slate-900 sm:absolute sm:inset-0 sm:flex sm:items-center sm:justify-center sm:p-6"
    >
      <div className="mx-auto w-full max-w-2xl space-y-3 rounded-lg bg-white p-4 shadow-xl sm:p-5">
        <p className="text-xs font-medium uppercase tracking-wide text-amber-800">
          {t('videos.keyMoment', { n: index + 1, total })} · {formatTime(bp.time)}
          {bp.keyPoints.length ? ` · ${t('videos.keyPoints', { points: bp.keyPoints.join(', ') })}` : ''}
        </p>
        <h2 id={headingId} ref={heading} tabIndex={-1} className="text-xl focus:outline-none">
          {bp.title}
        </h2>

        <div id={bodyId} className="space-y-3">
          {needsPrediction ? (
            <form
              className="space-y-2"
              onSubmit={(e) => {
                e.preventDefault()
                onPredict(prediction)
              }}
            >
              <p className="font-medium">{bp.predictPrompt}</p>
              <label className="label" htmlFor={`${bp.id}-prediction`}>
                {t('videos.predict.label')}
              </label>
              <textarea
                id={`${bp.id}-prediction`}
                name="prediction"
                className="input min-h-24"
                value={prediction}
                onChange={(e) => setPrediction(e.target.value)}
                maxLength={2000}
                required
              />
              <button type="submit" className="btn-primary" disabled={pending || prediction.trim().length < 2}>
                {pending ? t('videos.saving') : t('videos.predict.submit')}
              </button>
            </form>
          ) : needsAnswer && bp.question ? (
            <form
              className="space-y-2"
              onSubmit={(e) => {
                e.preventDefault()
                onAnswer(chosen)
              }}
            >
              <fieldset className="space-y-2">
                <legend className="font-medium">
                  {bp.question.prompt}
                  {bp.question.type === 'multiple' ? <span className="ml-1 text-sm font-normal text-slate-600">({t('videos.chooseAll')})</span> : null}
                </legend>
                {bp.question.options.map((o) => (
                  <label key={o.id} className="flex min-h-10 cursor-pointer items-start gap-2 rounded-md border border-slate-300 p-2 hover:bg-slate-50">
                    <input
                      type={bp.question!.type === 'single' ? 'radio' : 'checkbox'}
                      name="answer"
                      value={o.id}
                      className="mt-1"
                      checked={chosen.includes(o.id)}
                      onChange={(e) =>
                        setChosen((prev) => (bp.question!.type === 'single' ? [o.id] : e.target.checked ? [...prev, o.id] : prev.filter((x) => x !== o.id)))
                      }
                    />
                    <span>{o.text}</span>
                  </label>
                ))}
              </fieldset>
              <button type="submit" className="btn-primary" disabled={pending || chosen.length === 0}>
                {pending ? t('videos.saving') : t('videos.answer')}
              </button>
            </form>
          ) : (
            <>
              {bp.voiceOver ? (
                // The spoken commentary (its transcript is the text below); it starts by itself when the browser allows.
                <audio controls autoPlay src={bp.voiceOver} className="w-full" data-testid="voice-over" />
              ) : null}
              {bp.predictPrompt && response?.prediction ? (
                <div className="grid gap-3 sm:grid-cols-2">
                  <section className="rounded-md bg-slate-100 p-3">
                    <h3 className="text-sm font-semibold">{t('videos.predict.yours')}</h3>
                    <p className="mt-1 whitespace-pre-wrap text-sm" data-testid="own-prediction">
                      {response.prediction}
                    </p>
                  </section>
                  <section className="rounded-md bg-brand-50 p-3">
                    <h3 className="text-sm font-semibold">{t('videos.predict.expert')}</h3>
                    <p className="mt-1 text-sm">{bp.commentary}</p>
                  </section>
                </div>
              ) : (
                <p className="leading-relaxed">{bp.commentary}</p>
              )}
              {bp.predictPrompt && response?.prediction ? (
                <section>
                  <h3 className="text-sm font-semibold">{t('videos.predict.peers')}</h3>
                  {peers?.length ? (
                    <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="peer-predictions">
                      {peers.map((p, i) => (
                        <li key={i}>{p}</li>
                      ))}
                    </ul>
                  ) : (
                    <p className="text-sm text-slate-600">{t('videos.predict.noPeers')}</p>
                  )}
                </section>
              ) : null}
              {bp.question && response?.answer && bp.reveal ? (
                <section className="rounded-md border border-slate-200 p-3 text-sm" data-testid="answer-reveal">
                  <p className="font-medium">{bp.question.prompt}</p>
                  <p className="mt-1">
                    {t('videos.yourAnswer')}: {response.answer.map(optionText).join('；')}{' '}
                    <strong className={response.correct ? 'text-green-800' : 'text-red-800'}>
                      {response.correct ? t('videos.correct') : t('videos.incorrect')}
                    </strong>
                  </p>
                  {!response.correct ? <p className="mt-1">{t('videos.expected', { answer: bp.reveal.answer.map(optionText).join('；') })}</p> : null}
                  <p className="mt-2 text-slate-700">{bp.reveal.explanation}</p>
                </section>
              ) : null}
            </>
          )}
        </div>

        {error ? (
          <p className="alert" role="alert">
            {t(error)}
          </p>
        ) : null}
        {!canContinue && !needsAck ? <p className="text-sm text-slate-600">{t('videos.blocked')}</p> : null}
        <div className="flex flex-wrap gap-2">
          {needsAck ? (
            <button type="button" className="btn-primary" disabled={pending} onClick={onAcknowledge} data-testid="acknowledge">
              {pending ? t('videos.saving') : t('videos.acknowledge')}
            </button>
          ) : canContinue ? (
            <button type="button" className="btn-primary" onClick={onContinue} data-testid="continue">
              {t('videos.continue')}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  )
}
