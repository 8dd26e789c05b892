import { useFetcher } from '@remix-run/react'
import { useEffect, useState, type ReactNode } from 'react'
import type { Translate } from '~/i18n'
import { useLocale, useT } from '~/i18n/use-t'
import type { getVideoForEditor } from '~/modules/videos/editor.server'
import { formatTime, type EditorBreakpoint, type Question } from '~/modules/videos/videos'
import { BreakpointTimeline, useCurrentTime } from './timeline'
import { VideoPlayer, type PlayerHandle } from './video-player'

type EditorData = Awaited<ReturnType<typeof getVideoForEditor>>
type Result =
  { ok: true; breakpoint: EditorBreakpoint } | { ok: true; deletedId: string } | { ok: false; errors: Record<string, string[]>; breakpointId?: string }

type Draft = Omit<EditorBreakpoint, 'id' | 'timeSeconds'> & { id: string | null; timeSeconds: string }

const empty = { en: '', 'zh-CN': '' }
const OPTION_IDS = 'abcdefgh'.split('')

function draftOf(bp: EditorBreakpoint | null, time = 0): Draft {
  if (!bp)
    return {
      id: null,
      timeSeconds: time.toFixed(3),
      title: { ...empty },
      commentary: { ...empty },
      keyPoints: [],
      mustAcknowledge: false,
      matchId: null,
      predictPrompt: null,
      question: null,
    }
  return { ...structuredClone(bp), timeSeconds: bp.timeSeconds.toFixed(3) }
}

const newQuestion = (): Question => ({
  id: `q-${Math.random().toString(36).slice(2, 8)}`,
  type: 'single',
  prompt: { ...empty },
  options: [
    { id: 'a', text: { ...empty } },
    { id: 'b', text: { ...empty } },
  ],
  answer: [],
  explanation: { ...empty },
})

/** An error message key, possibly with a value after `|` (the video's duration). */
function errorText(t: Translate, message: string, duration: number) {
  const [key] = message.split('|')
  return t(key, { duration: duration.toFixed(1) })
}

function Errors({ errors, name, duration }: { errors: Record<string, string[]>; name: string; duration: number }) {
  const t = useT()
  const list = errors[name]
  if (!list?.length) return null
  return (
    <p className="field-error" role="alert" data-error-for={name}>
      {list.map((m) => errorText(t, m, duration)).join(' ')}
    </p>
  )
}

function LocalizedFields({
  label,
  name,
  value,
  onChange,
  errors,
  duration,
  multiline,
}: {
  label: ReactNode
  name: string
  value: { en: string; 'zh-CN': string }
  onChange: (v: { en: string; 'zh-CN': string }) => void
  errors: Record<string, string[]>
  duration: number
  multiline?: boolean
}) {
  return (
    <fieldset className="grid gap-2 sm:grid-cols-2">
      <legend className="label">{label}</legend>
      {(['zh-CN', 'en'] as const).map((locale) => {
        const id = `${name}-${locale}`
        const props = {
          id,
          name: `${name}.${locale}`,
          className: 'input',
          value: value[locale],
          'aria-invalid': errors[`${name}.${locale}`] ? true : undefined,
          onChange: (e: { target: { value: string } }) => onChange({ ...value, [locale]: e.target.value }),
        }
        return (
          <div key={locale}>
            <label htmlFor={id} className="text-xs text-slate-600">
              {locale === 'zh-CN' ? '中文' : 'English'}
            </label>
            {multiline ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}
            <Errors errors={errors} name={`${name}.${locale}`} duration={duration} />
          </div>
        )
      })}
    </fieldset>
  )
}

/**
 * The trainers' breakpoint editor: play or scrub, add a breakpoint at the playhead, nudge by a
 * frame or 0.1 s, drag markers, edit every field in both languages, delete. Every write goes to
 * the server, which validates it; the page shows what the server stored.
 */
export function BreakpointEditor({ data }: { data: EditorData }) {
  const t = useT()
  const locale = useLocale()
  const { video } = data
  const [handle, setHandle] = useState<PlayerHandle | null>(null)
  const el = handle?.video ?? null
  const playhead = useCurrentTime(el, 50)
  const [bps, setBps] = useState(data.breakpoints)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [errors, setErrors] = useState<Record<string, string[]>>({})
  const [status, setStatus] = useState<string | null>(null)
  const fetcher = useFetcher<Result>()
  const frame = 1 / (video.fps || 25)
  const busy = fetcher.state !== 'idle'

  useEffect(() => {
    const r = fetcher.data
    if (!r || fetcher.state !== 'idle') return
    if (!r.ok) {
      setErrors(r.errors)
      setStatus(t('videos.editor.fixErrors'))
      return
    }
    setErrors({})
    if ('deletedId' in r) {
      setBps((prev) => prev.filter((b) => b.id !== r.deletedId))
      setDraft(null)
      setStatus(t('videos.editor.deleted'))
      return
    }
    const saved = r.breakpoint
    setBps((prev) => [...prev.filter((b) => b.id !== saved.id), saved].sort((a, b) => a.timeSeconds - b.timeSeconds))
    setDraft((d) => (d && (d.id === saved.id || d.id === null) ? draftOf(saved) : d))
    setStatus(t('videos.editor.saved', { title: saved.title[locale], time: formatTime(saved.timeSeconds, true) }))
    // Only for a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state])

  const post = (body: Record<string, unknown>) => fetcher.submit(body as never, { method: 'post', encType: 'application/json' })

  const seek = (time: number) => {
    if (!el) return
    el.pause()
    el.currentTime = Math.min(video.duration, Math.max(0, Math.round(time * 1000) / 1000))
  }
  const select = (id: string) => {
    const bp = bps.find((b) => b.id === id)
    if (!bp) return
    setErrors({})
    setStatus(null)
    setDraft(draftOf(bp))
    seek(bp.timeSeconds)
  }
  const move = (id: string, time: number) => {
    setStatus(null)
    post({ intent: 'move', breakpointId: id, timeSeconds: time })
  }
  const save = () => {
    if (!draft) return
    const { id, timeSeconds, ...rest } = draft
    post({ intent: 'save', breakpoint: { ...rest, ...(id ? { id } : {}), timeSeconds: Number(timeSeconds) } })
  }
  const remove = () => {
    if (!draft?.id) return
    if (!window.confirm(t('videos.editor.confirmDelete', { title: draft.title[locale] || draft.id }))) return
    post({ intent: 'delete', breakpointId: draft.id })
  }
  const update = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d))
  const q = draft?.question ?? null
  const updateQuestion = (patch: Partial<Question>) => update({ question: q ? { ...q, ...patch } : null })

  return (
    <div className="space-y-4" data-testid="breakpoint-editor" data-ready={handle ? 'true' : 'false'}>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-2">
          <div className="overflow-hidden rounded-lg bg-black">
            <VideoPlayer
              id={`editor-${video.id}`}
              src={video.src}
              playbackId={video.playbackId}
              tokens={video.tokens}
              poster={video.poster}
              title={video.title}
              captions={video.captions}
              captionLocale={locale}
              onReady={setHandle}
            />
          </div>
          <p className="font-mono text-sm" data-testid="playhead" data-time={playhead.toFixed(3)}>
            {t('videos.editor.playhead', { time: formatTime(playhead, true) })} · {t('videos.editor.fps', { fps: Math.round(1 / frame) })}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-secondary" onClick={() => seek(playhead - frame)}>
              {t('videos.editor.frameBack')}
            </button>
            <button type="button" className="btn-secondary" onClick={() => seek(playhead + frame)}>
              {t('videos.editor.frameForward')}
            </button>
            <button type="button" className="btn-secondary" onClick={() => seek(playhead - 0.1)}>
              {t('videos.editor.tenthBack')}
            </button>
            <button type="button" className="btn-secondary" onClick={() => seek(playhead + 0.1)}>
              {t('videos.editor.tenthForward')}
            </button>
            <button
              type="button"
              className="btn-primary"
              data-testid="add-breakpoint"
              onClick={() => {
                el?.pause()
                setErrors({})
                setStatus(null)
                setDraft(draftOf(null, el?.currentTime ?? playhead))
              }}
            >
              {t('videos.editor.add', { time: formatTime(playhead, true) })}
            </button>
            <a className="btn-secondary" href={`/videos/${video.id}`} target="_blank" rel="noreferrer">
              {t('videos.editor.preview')}
            </a>
          </div>
          <BreakpointTimeline
            duration={video.duration}
            video={el}
            markers={bps.map((b) => ({ id: b.id, time: b.timeSeconds, title: b.title[locale], state: draft?.id === b.id ? 'selected' : 'open' }))}
            onSelect={select}
            onMove={move}
            onScrub={seek}
          />
          <p className="text-xs text-slate-600">{t('videos.editor.dragHint')}</p>
          {status ? (
            <p className={Object.keys(errors).length ? 'alert' : 'notice'} role="status" data-testid="editor-status">
              {status}
            </p>
          ) : null}
          <section aria-labelledby="bp-list">
            <h2 id="bp-list">{t('videos.editor.list', { count: bps.length })}</h2>
            {bps.length === 0 ? <p className="text-sm text-slate-600">{t('videos.editor.none')}</p> : null}
            <ol className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
              {bps.map((b) => (
                <li key={b.id}>
                  <button
                    type="button"
                    onClick={() => select(b.id)}
                    aria-current={draft?.id === b.id ? 'true' : undefined}
                    data-testid={`edit-${b.id}`}
                    className={`flex w-full gap-3 px-3 py-2 text-left text-sm hover:bg-slate-50 ${draft?.id === b.id ? 'bg-brand-50' : ''}`}
                  >
                    <span className="font-mono">{formatTime(b.timeSeconds, true)}</span>
                    <span className="flex-1">{b.title[locale]}</span>
                    {b.mustAcknowledge ? <span className="badge">{t('videos.required')}</span> : null}
                  </button>
                </li>
              ))}
            </ol>
          </section>
        </div>

        {draft ? (
          <form
            className="card space-y-4 self-start"
            aria-labelledby="bp-form-heading"
            data-testid="breakpoint-form"
            onSubmit={(e) => {
              e.preventDefault()
              save()
            }}
          >
            <h2 id="bp-form-heading">{draft.id ? t('videos.editor.edit') : t('videos.editor.new')}</h2>
            <div>
              <label htmlFor="bp-time" className="label">
                {t('videos.editor.time')}
              </label>
              <div className="flex flex-wrap gap-2">
                <input
                  id="bp-time"
                  name="timeSeconds"
                  type="number"
                  step="0.001"
                  min={0}
                  max={video.duration}
                  className="input w-36"
                  value={draft.timeSeconds}
                  aria-invalid={errors.timeSeconds ? true : undefined}
                  onChange={(e) => update({ timeSeconds: e.target.value })}
                />
                <button type="button" className="btn-secondary" onClick={() => update({ timeSeconds: playhead.toFixed(3) })}>
                  {t('videos.editor.usePlayhead')}
                </button>
                <button type="button" className="btn-secondary" onClick={() => seek(Number(draft.timeSeconds))}>
                  {t('videos.editor.seek')}
                </button>
              </div>
              <Errors errors={errors} name="timeSeconds" duration={video.duration} />
            </div>
            <LocalizedFields
              label={t('videos.editor.titleField')}
              name="title"
              value={draft.title}
              onChange={(title) => update({ title })}
              errors={errors}
              duration={video.duration}
            />
            <LocalizedFields
              label={t('videos.editor.commentary')}
              name="commentary"
              value={draft.commentary}
              onChange={(commentary) => update({ commentary })}
              errors={errors}
              duration={video.duration}
              multiline
            />
            <fieldset>
              <legend className="label">{t('videos.editor.keyPoints')}</legend>
              <div className="flex flex-wrap gap-3">
                {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                  <label key={n} className="flex items-center gap-1 text-sm">
                    <input
                      type="checkbox"
                      checked={draft.keyPoints.includes(n)}
                      onChange={(e) =>
                        update({ keyPoints: e.target.checked ? [...draft.keyPoints, n].sort((a, b) => a - b) : draft.keyPoints.filter((k) => k !== n) })
                      }
                    />
                    {n}
                  </label>
                ))}
              </div>
            </fieldset>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="mustAcknowledge" checked={draft.mustAcknowledge} onChange={(e) => update({ mustAcknowledge: e.target.checked })} />
              {t('videos.editor.mustAcknowledge')}
            </label>
            <div>
              <label htmlFor="bp-match" className="label">
                {t('videos.editor.matchId')}
              </label>
              <input id="bp-match" name="matchId" className="input" value={draft.matchId ?? ''} onChange={(e) => update({ matchId: e.target.value || null })} />
              <Errors errors={errors} name="matchId" duration={video.duration} />
            </div>
            <LocalizedFields
              label={t('videos.editor.predictPrompt')}
              name="predictPrompt"
              value={draft.predictPrompt ?? empty}
              onChange={(predictPrompt) => update({ predictPrompt })}
              errors={errors}
              duration={video.duration}
            />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={Boolean(q)} onChange={(e) => update({ question: e.target.checked ? newQuestion() : null })} />
              {t('videos.editor.hasQuestion')}
            </label>
            {q ? (
              <div className="space-y-3 rounded-md border border-slate-200 p-3">
                <label className="flex items-center gap-2 text-sm">
                  {t('videos.editor.questionType')}
                  <select className="input w-auto" value={q.type} onChange={(e) => updateQuestion({ type: e.target.value as Question['type'], answer: [] })}>
                    <option value="single">{t('videos.editor.single')}</option>
                    <option value="multiple">{t('videos.editor.multiple')}</option>
                  </select>
                </label>
                <LocalizedFields
                  label={t('videos.editor.prompt')}
                  name="question.prompt"
                  value={q.prompt}
                  onChange={(prompt) => updateQuestion({ prompt })}
                  errors={errors}
                  duration={video.duration}
                />
                {q.options.map((o, i) => (
                  <div key={o.id} className="space-y-1">
                    <LocalizedFields
                      label={t('videos.editor.option', { id: o.id })}
                      name={`question.options.${i}.text`}
                      value={o.text}
                      onChange={(text) => updateQuestion({ options: q.options.map((x) => (x.id === o.id ? { ...x, text } : x)) })}
                      errors={errors}
                      duration={video.duration}
                    />
                    <div className="flex gap-3 text-sm">
                      <label className="flex items-center gap-1">
                        <input
                          type={q.type === 'single' ? 'radio' : 'checkbox'}
                          name="question-answer"
                          checked={q.answer.includes(o.id)}
                          onChange={(e) =>
                            updateQuestion({
                              answer: q.type === 'single' ? [o.id] : e.target.checked ? [...q.answer, o.id] : q.answer.filter((a) => a !== o.id),
                            })
                          }
                        />
                        {t('videos.editor.correct')}
                      </label>
                      {q.options.length > 2 ? (
                        <button
                          type="button"
                          className="text-red-700 underline"
                          onClick={() => updateQuestion({ options: q.options.filter((x) => x.id !== o.id), answer: q.answer.filter((a) => a !== o.id) })}
                        >
                          {t('videos.editor.removeOption', { id: o.id })}
                        </button>
                      ) : null}
                    </div>
                  </div>
                ))}
                <Errors errors={errors} name="question.answer" duration={video.duration} />
                {q.options.length < OPTION_IDS.length ? (
                  <button
                    type="button"
                    className="btn-secondary"
                    onClick={() =>
                      updateQuestion({ options: [...q.options, { id: OPTION_IDS.find((x) => !q.options.some((o) => o.id === x))!, text: { ...empty } }] })
                    }
                  >
                    {t('videos.editor.addOption')}
                  </button>
                ) : null}
                <LocalizedFields
                  label={t('videos.editor.explanation')}
                  name="question.explanation"
                  value={q.explanation}
                  onChange={(explanation) => updateQuestion({ explanation })}
                  errors={errors}
                  duration={video.duration}
                  multiline
                />
              </div>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <button type="submit" className="btn-primary" disabled={busy} data-testid="save-breakpoint">
                {busy ? t('videos.saving') : t('videos.editor.save')}
              </button>
              {draft.id ? (
                <button type="button" className="btn-danger" disabled={busy} onClick={remove} data-testid="delete-breakpoint">
                  {t('videos.editor.delete')}
                </button>
              ) : null}
              <button type="button" className="btn-secondary" onClick={() => setDraft(null)}>
                {t('videos.editor.cancel')}
              </button>
            </div>
          </form>
        ) : null}
      </div>
    </div>
  )
}
