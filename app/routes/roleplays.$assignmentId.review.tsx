import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useRef, useState } from 'react'
import { z } from 'zod'
import { CommentThread, type ThreadComment } from '~/components/roleplay/comment-thread'
import { RecordingPlayer, type PlayerControl } from '~/components/roleplay/recording-player'
import { RubricFields } from '~/components/roleplay/rubric-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useIntentReply } from '~/components/ui/action-reply'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { CommentForm, DeleteCommentForm, EditCommentForm, formatAt, KEY_POINTS, ReleaseReviewForm, ReplyForm, ReviewForm } from '~/modules/roleplay/roleplay'
import { recordingPlayback } from '~/modules/roleplay/mux-recordings.server'
import { addComment, deleteComment, editComment, getReviewPage, releaseReview, replyToComment, saveReview } from '~/modules/roleplay/review.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.group.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const page = await getReviewPage(user, param(params, 'assignmentId'))
  return { ...page, playback: page.recording ? await recordingPlayback(user, page.recording.id) : null }
}

const ReviewAction = z.discriminatedUnion('intent', [CommentForm, EditCommentForm, DeleteCommentForm, ReplyForm, ReviewForm, ReleaseReviewForm])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const assignmentId = param(params, 'assignmentId')
  const submission = parseWithZod(await readForm(request), { schema: ReviewAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), intent: null as string | null }, { status: 400 })
  const value = submission.value
  const intent = value.intent as string | null
  const answer = (r: { ok: true } | { ok: false; error: string }, field = '') =>
    r.ok
      ? { result: submission.reply({ resetForm: true }), intent }
      : data({ result: submission.reply({ fieldErrors: { [field]: [r.error] } }), intent }, { status: 400 })
  switch (value.intent) {
    case 'comment':
      return answer(await addComment(user, assignmentId, value), 'body')
    case 'edit-comment':
      return answer(await editComment(user, assignmentId, value.commentId, value), 'body')
    case 'delete-comment':
      return answer(await deleteComment(user, assignmentId, value.commentId))
    case 'reply':
      return answer(await replyToComment(user, assignmentId, value.commentId, value.body), 'body')
    case 'review': {
      const r = await saveReview(user, assignmentId, { levels: value.levels, summary: value.summary, mode: 'recording' })
      return r.ok ? { result: submission.reply(), intent, score: r.score } : answer(r)
    }
    case 'release':
      return answer(await releaseReview(user, assignmentId))
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function ReviewPage() {
  const t = useT()
  const locale = useLocale()
  const d = useLoaderData<typeof loader>()
  const [control, setControl] = useState<PlayerControl | null>(null)
  const [active, setActive] = useState<number | null>(null)
  const released = Boolean(d.review?.releasedAt)
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <p>{d.assignment.sessionId ? <Link to={`/sessions/${d.assignment.sessionId}/roleplays`}>← {t('rp.board.title')}</Link> : null}</p>
      <div>
        <h1>
          {t('groups.groupName', { name: d.group.name })} · {d.scenario.title[locale] || d.scenario.title.en}
        </h1>
        {released ? (
          <p className="notice" role="status">
            {t('rp.review.released')}
          </p>
        ) : null}
      </div>
      {!d.recording ? (
        <p className="notice" role="status">
          {t('rp.review.noRecordingYet')}
        </p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
          <div className="space-y-3">
            <RecordingPlayer
              recordingId={d.recording.id}
              mime={d.recording.mime}
              title={t('rp.recording.version', { version: d.recording.version })}
              durationSeconds={d.recording.durationSeconds}
              mux={d.playback}
              markers={d.comments.map((c) => ({ id: c.id, atMs: c.atMs ?? 0, tone: c.tone, body: c.body }))}
              onControl={setControl}
              activeId={active}
              onJump={setActive}
            />
            {!released ? <NewComment recordingId={d.recording.id} control={control} focus={d.scenario.keyPoints} /> : null}
            <CommentThread
              comments={d.comments}
              activeId={active}
              onJump={(c) => {
                control?.seek(c.atMs ?? 0)
                setActive(c.id)
              }}
              canReply={released}
              actions={released ? undefined : (c) => <CommentActions comment={c} />}
            />
          </div>
          <Rubric d={d} />
        </div>
      )}
      <details className="card">
        <summary className="cursor-pointer font-medium">{t('rp.page.situation')}</summary>
        <p className="mt-2 whitespace-pre-line">{d.scenario.situation[locale] || d.scenario.situation.en}</p>
        <p className="mt-2 whitespace-pre-line text-sm text-amber-900">{d.scenario.observerNotes[locale] || d.scenario.observerNotes.en}</p>
      </details>
    </div>
  )
}

const useResult = (intent: string) => useIntentReply<typeof action>(intent)

/** A comment at the player's current moment: typing pauses playback and pins the moment. */
function NewComment({ recordingId, control, focus }: { recordingId: string; control: PlayerControl | null; focus: number[] }) {
  const t = useT()
  const navigation = useNavigation()
  const result = useResult('comment')
  const [atMs, setAtMs] = useState<number | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const pin = () => {
    if (atMs !== null) return
    control?.pause()
    setAtMs(control?.currentMs() ?? 0)
  }
  const submitting = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'comment'
  return (
    <Form
      method="post"
      ref={formRef}
      className="card space-y-2"
      data-comment-form
      onSubmit={() => {
        // The next comment takes the player's moment again.
        setTimeout(() => {
          setAtMs(null)
          formRef.current?.reset()
        }, 0)
      }}
    >
      <input type="hidden" name="intent" value="comment" />
      <input type="hidden" name="recordingId" value={recordingId} />
      <input type="hidden" name="atMs" value={atMs ?? control?.currentMs() ?? 0} />
      <label htmlFor="comment-body" className="label">
        {atMs === null ? t('rp.comments.new') : t('rp.comments.newAt', { at: formatAt(atMs) })}
      </label>
      <textarea id="comment-body" name="body" rows={3} className="input" maxLength={2000} onFocus={pin} onKeyDown={pin} required />
      <FieldErrors errors={result?.result.error?.body ?? undefined} />
      <fieldset className="flex flex-wrap gap-3">
        <legend className="sr-only">{t('rp.comments.tone')}</legend>
        {(['praise', 'correction'] as const).map((tone) => (
          <label key={tone} className="flex min-h-11 items-center gap-1">
            <input type="radio" name="tone" value={tone} defaultChecked={tone === 'correction'} /> {t(`rp.tone.${tone}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-2">
        <legend className="label">{t('rp.comments.keyPoints')}</legend>
        {KEY_POINTS.map((k) => (
          <label
            key={k}
            className={`flex min-h-11 items-center gap-1 rounded border px-2 text-sm ${focus.includes(k) ? 'border-sky-400' : 'border-slate-200'}`}
            title={t(`rp.kp.${k}`)}
          >
            <input type="checkbox" name="keyPoints" value={k} /> {k}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn-primary min-h-11" disabled={submitting}>
        {t('rp.comments.add')}
      </button>
    </Form>
  )
}

function CommentActions({ comment }: { comment: ThreadComment }) {
  const t = useT()
  const [editing, setEditing] = useState(false)
  if (!editing)
    return (
      <div className="mt-2 flex gap-2">
        <button type="button" className="btn-secondary min-h-11" onClick={() => setEditing(true)}>
          {t('common.edit')}
        </button>
        <Form method="post">
          <input type="hidden" name="intent" value="delete-comment" />
          <input type="hidden" name="commentId" value={comment.id} />
          <button type="submit" className="btn-secondary min-h-11">
            {t('rp.comments.delete')}
          </button>
        </Form>
      </div>
    )
  return (
    <Form method="post" className="mt-2 space-y-2" onSubmit={() => setTimeout(() => setEditing(false), 0)}>
      <input type="hidden" name="intent" value="edit-comment" />
      <input type="hidden" name="commentId" value={comment.id} />
      <label className="block">
        <span className="sr-only">{t('rp.comments.title')}</span>
        <textarea name="body" defaultValue={comment.body} rows={2} className="input" required maxLength={2000} />
      </label>
      <div className="flex flex-wrap gap-3">
        {(['praise', 'correction'] as const).map((tone) => (
          <label key={tone} className="flex items-center gap-1">
            <input type="radio" name="tone" value={tone} defaultChecked={comment.tone === tone} /> {t(`rp.tone.${tone}`)}
          </label>
        ))}
        {KEY_POINTS.map((k) => (
          <label key={k} className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="keyPoints" value={k} defaultChecked={comment.keyPoints.includes(k)} /> {k}
          </label>
        ))}
      </div>
      <button type="submit" className="btn-primary min-h-11">
        {t('common.save')}
      </button>
    </Form>
  )
}

function Rubric({ d }: { d: Data }) {
  const t = useT()
  const review = useResult('review')
  const release = useResult('release')
  const released = Boolean(d.review?.releasedAt)
  return (
    <section className="card space-y-3" aria-labelledby="rubric-title">
      <h2 id="rubric-title">{t('rp.rubric.title')}</h2>
      <p className="text-sm text-slate-700">{t('rp.rubric.help')}</p>
      {d.review?.score != null ? (
        <p className="text-xl font-semibold" data-score>
          {t('rp.review.score', { score: d.review.score })}
        </p>
      ) : null}
      <Form method="post" className="space-y-3" key={d.review?.updatedAt ? String(d.review.updatedAt) : 'new'}>
        <input type="hidden" name="intent" value="review" />
        <RubricFields levels={d.review?.levels ?? {}} focus={d.scenario.keyPoints} disabled={released} />
        <label className="block">
          <span className="label">{t('rp.rubric.summary')}</span>
          <textarea name="summary" rows={4} defaultValue={d.review?.summary ?? ''} className="input" disabled={released} maxLength={10000} />
        </label>
        <FormErrors errors={review?.result.error?.[''] ?? undefined} />
        {!released ? (
          <button type="submit" className="btn-primary min-h-11">
            {t('rp.rubric.save')}
          </button>
        ) : null}
        {review && !review.result.error ? <span role="status">{t('common.saved')}</span> : null}
      </Form>
      {!released ? (
        <Form method="post" className="space-y-2 border-t pt-3">
          <input type="hidden" name="intent" value="release" />
          <p className="text-sm text-slate-700">{t('rp.review.releaseHelp')}</p>
          <FormErrors errors={release?.result.error?.[''] ?? undefined} />
          <button type="submit" className="btn-secondary min-h-11">
            {t('rp.review.release')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
