import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { BrowserRecorder } from '~/components/roleplay/browser-recorder'
import { MuxRecordingUpload } from '~/components/roleplay/mux-recording-upload'
import { CommentThread } from '~/components/roleplay/comment-thread'
import { RecordingPlayer, type PlayerControl } from '~/components/roleplay/recording-player'
import { RouteErrorBoundary } from '~/components/route-error'
import { ResumableUpload } from '~/components/upload/resumable-upload'
import { FormErrors } from '~/components/ui/field'
import { useIntentReply } from '~/components/ui/action-reply'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { UploadRejected, uploadRejectionMessage } from '~/modules/files/uploads.server'
import { MAX_UPLOAD_BYTES } from '~/modules/files/files'
import { KEY_POINTS, ReplyForm, SubmitRecordingForm, WithdrawRecordingForm } from '~/modules/roleplay/roleplay'
import { getRoleplayPage } from '~/modules/roleplay/roleplay.server'
import { recordingConsents } from '~/modules/roleplay/promote.server'
import { recordingPlayback } from '~/modules/roleplay/mux-recordings.server'
import { muxConfigured } from '~/modules/videos/mux.server'
import { submitRecording, withdrawRecording } from '~/modules/roleplay/recordings.server'
import { replyToComment } from '~/modules/roleplay/review.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.group.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const page = await getRoleplayPage(user, param(params, 'groupId'))
  const consents = page.assignment && page.assignment.currentId ? await recordingConsents(page.assignment.id, [page.assignment.currentId]) : {}
  // The reviewed recording plays from Mux when it was uploaded there (signed tokens for this viewer only).
  const reviewed = page.assignment?.review?.recordingId ?? null
  const playback = reviewed ? await recordingPlayback(user, reviewed) : null
  return { ...page, consents, me: user.id, mux: muxConfigured(), playback }
}

const PageAction = z.discriminatedUnion('intent', [SubmitRecordingForm, WithdrawRecordingForm, ReplyForm])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const groupId = param(params, 'groupId')
  const submission = parseWithZod(await readForm(request), { schema: PageAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), intent: null as string | null }, { status: 400 })
  const value = submission.value
  const fail = (errors: Record<string, string[]>) =>
    data({ result: submission.reply({ fieldErrors: errors }), intent: value.intent as string | null }, { status: 400 })
  switch (value.intent) {
    case 'submit': {
      try {
        const r = await submitRecording(user, groupId, value.uploadId)
        if (!r.ok) return fail({ uploadId: [`rp.recording.${r.error}`] })
        return { result: submission.reply({ resetForm: true }), intent: value.intent as string | null, version: r.version, late: r.late }
      } catch (error) {
        if (!(error instanceof UploadRejected)) throw error
        // The refused file is gone; the group's current recording is untouched.
        return fail({ uploadId: [uploadRejectionMessage(translator(await resolveLocale(request)), error)] })
      }
    }
    case 'withdraw': {
      const r = await withdrawRecording(user, groupId, value.recordingId)
      return r.ok ? { result: submission.reply(), intent: value.intent as string | null } : fail({ '': [r.error] })
    }
    case 'reply': {
      const page = await getRoleplayPage(user, groupId)
      if (!page.assignment) return fail({ '': ['errors.invalid'] })
      const r = await replyToComment(user, page.assignment.id, value.commentId, value.body)
      return r.ok ? { result: submission.reply({ resetForm: true }), intent: value.intent as string | null } : fail({ body: [r.error] })
    }
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function GroupRoleplay() {
  const t = useT()
  const locale = useLocale()
  const d = useLoaderData<typeof loader>()
  const formatDateTime = useFormatDateTime()
  const a = d.assignment
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <p>
        <Link to={`/groups/${d.group.id}`}>← {t('groups.groupName', { name: d.group.name })}</Link>
      </p>
      {!a ? (
        <>
          <h1>{t('rp.page.title')}</h1>
          <p className="notice" role="status">
            {t('rp.page.none')}
          </p>
        </>
      ) : (
        <>
          <div>
            <h1>{a.scenario.title[locale] || a.scenario.title.en}</h1>
            <p className="font-medium" suppressHydrationWarning data-due>
              {t('rp.due', { when: formatDateTime(a.dueAt) })}
            </p>
            <p className="text-sm text-slate-700">
              {t('rp.page.keyPoints')} {a.scenario.keyPoints.map((k) => `${k}. ${t(`rp.kp.${k}`)}`).join(' · ')}
            </p>
          </div>
          <section className="card space-y-2" aria-labelledby="situation-title">
            <h2 id="situation-title">{t('rp.page.situation')}</h2>
            <p className="whitespace-pre-line">{a.scenario.situation[locale] || a.scenario.situation.en}</p>
          </section>
          <Roles d={d} />
          {a.scenario.observerNotes ? (
            <section className="card space-y-2 border-amber-300 bg-amber-50">
              <h2>{t('rp.page.observerNotes')}</h2>
              <p className="whitespace-pre-line">{a.scenario.observerNotes[locale] || a.scenario.observerNotes.en}</p>
            </section>
          ) : null}
          <Recordings d={d} />
          {a.review ? <Review d={d} /> : d.member ? <p className="text-sm text-slate-700">{t('rp.review.notReleasedYet')}</p> : null}
        </>
      )}
    </div>
  )
}

function Roles({ d }: { d: Data }) {
  const t = useT()
  const locale = useLocale()
  const a = d.assignment!
  return (
    <section className="space-y-2" aria-labelledby="roles-title">
      <h2 id="roles-title">{t('rp.page.roles')}</h2>
      {d.member && !a.myRoleId ? <p className="text-sm text-slate-700">{t('rp.page.observer')}</p> : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {a.roles.map((r) => (
          <li key={r.id} className={`card space-y-1 ${r.id === a.myRoleId ? 'border-teal-600' : ''}`} data-role={r.id}>
            <h3 className="font-semibold">
              {r.name[locale] || r.name.en}
              {r.id === a.myRoleId ? <span className="badge ml-2 bg-teal-100 text-teal-900">{t('rp.page.yourRole')}</span> : null}
            </h3>
            <p className="text-sm text-slate-700">{r.players.length ? r.players.join(' · ') : t('rp.page.nobodyCast')}</p>
            {r.brief ? (
              <p className="whitespace-pre-line" data-brief>
                {r.brief[locale] || r.brief.en}
              </p>
            ) : (
              <p className="text-sm italic text-slate-600">{t('rp.page.briefPrivate')}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

const useResult = (intent: string) => useIntentReply<typeof action>(intent)

function Recordings({ d }: { d: Data }) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const navigation = useNavigation()
  const result = useResult('submit')
  const withdrawn = useResult('withdraw')
  const a = d.assignment!
  const open = !a.released
  return (
    <section className="card space-y-3" aria-labelledby="recording-title">
      <h2 id="recording-title">{t('rp.recording.title')}</h2>
      {a.performedLiveAt ? (
        <p className="notice" role="status">
          {t('rp.live.performedNote')}
        </p>
      ) : null}
      {result && 'version' in result ? (
        <p className="notice" role="status">
          {t((result as { late?: boolean }).late ? 'rp.recording.savedLate' : 'rp.recording.saved', { version: Number(result.version) })}
        </p>
      ) : null}
      <FormErrors errors={withdrawn?.result.error?.[''] ?? undefined} />
      {a.versions.length === 0 ? (
        <p className="text-slate-700">{t('rp.recording.none')}</p>
      ) : (
        <ol className="space-y-2" data-versions>
          {[...a.versions].reverse().map((v) => (
            <li key={v.id} className="flex flex-wrap items-center gap-2 text-sm" data-version={v.version}>
              <strong>{t('rp.recording.version', { version: v.version })}</strong>
              {v.durationSeconds ? <span data-duration={v.durationSeconds}>{formatDuration(v.durationSeconds)}</span> : null}
              <span className="text-slate-700" suppressHydrationWarning>
                {t('rp.recording.by', { name: v.submittedBy, when: formatDateTime(v.submittedAt) })}
              </span>
              {v.late ? <span className="badge bg-amber-100 text-amber-900">{t('rp.late')}</span> : null}
              {v.status === 'processing' ? (
                <span className="badge bg-sky-100 text-sky-900" data-status="processing">
                  {t('rp.recording.processing')}
                </span>
              ) : null}
              {v.status === 'refused' ? (
                <span className="badge bg-red-100 text-red-900" data-status="refused">
                  {t('rp.recording.refusedBadge')}
                </span>
              ) : null}
              {v.withdrawnAt ? <span className="badge">{t('rp.recording.withdrawn')}</span> : null}
              {v.id === a.currentId ? <span className="badge bg-emerald-100 text-emerald-900">{t('rp.recording.current')}</span> : null}
              {d.member && open && a.beforeDeadline && !v.withdrawnAt ? (
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="recordingId" value={v.id} />
                  <button type="submit" className="btn-secondary min-h-11">
                    {t('rp.recording.withdraw')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {a.currentId && d.consents[a.currentId] ? <Consent d={d} recordingId={a.currentId} /> : null}
      {d.member && open && d.mux ? (
        <MuxRecordingUpload
          groupId={d.group.id}
          maxBytes={MAX_UPLOAD_BYTES['roleplay-video']}
          processing={a.versions.some((v) => v.status === 'processing' && !v.withdrawnAt)}
          help={t(a.beforeDeadline ? 'rp.recording.help' : 'rp.recording.helpLate')}
        />
      ) : d.member && open ? (
        <Form method="post" className="space-y-2" data-submit-form>
          <input type="hidden" name="intent" value="submit" />
          <ResumableUpload
            purpose="roleplay-video"
            name="uploadId"
            accept=".mp4,.mov,.webm,video/mp4,video/quicktime,video/webm"
            maxBytes={MAX_UPLOAD_BYTES['roleplay-video']}
            errors={result?.result.error?.uploadId ?? undefined}
            alternative={(upload, state) => (
              <BrowserRecorder onRecorded={upload} hidden={state !== 'idle' && state !== 'error'} maxBytes={MAX_UPLOAD_BYTES['roleplay-video']} />
            )}
          />
          <button type="submit" className="btn-primary min-h-11" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? t('rp.recording.checking') : t('rp.recording.submit')}
          </button>
          <p className="text-xs text-slate-600">{t(a.beforeDeadline ? 'rp.recording.help' : 'rp.recording.helpLate')}</p>
        </Form>
      ) : null}
    </section>
  )
}

/** Consent to show the current recording as a teaching example; staff add it to the video library once every player agreed. */
function Consent({ d, recordingId }: { d: Data; recordingId: string }) {
  const t = useT()
  const consent = useFetcher<{ result: { error?: Record<string, string[] | null> } }>()
  const promote = useFetcher<{ result: { error?: Record<string, string[] | null> } }>()
  const state = d.consents[recordingId]
  const version = d.assignment!.versions.find((v) => v.id === recordingId)!
  const mine = state.needed.find((n) => n.userId === d.me)
  const given = state.needed.filter((n) => n.consented).length
  return (
    <div className="space-y-2 rounded border border-slate-200 p-3" data-consent={state.complete ? 'complete' : 'partial'}>
      <h3 className="font-semibold">{t('rp.consent.title')}</h3>
      <p className="text-sm text-slate-700">{t('rp.consent.ask')}</p>
      <p className="text-sm">{t('rp.consent.count', { given, total: state.needed.length })}</p>
      <ul className="text-sm">
        {state.needed.map((n) => (
          <li key={n.userId} data-consented={n.consented ? 'yes' : 'no'}>
            {n.name} · {t(n.consented ? 'rp.consent.yes' : 'rp.consent.no')}
          </li>
        ))}
      </ul>
      {d.member && (mine || state.needed.length === 0) && !version.promotedVideoId ? (
        <consent.Form method="post" action={`/roleplays/recordings/${recordingId}/consent`}>
          <input type="hidden" name="consent" value={mine?.consented ? 'no' : 'yes'} />
          {mine?.consented ? <span className="mr-2 text-sm">{t('rp.consent.given')}</span> : null}
          <button type="submit" className={`${mine?.consented ? 'btn-secondary' : 'btn-primary'} min-h-11`} disabled={consent.state !== 'idle'}>
            {t(mine?.consented ? 'rp.consent.withdraw' : 'rp.consent.give')}
          </button>
        </consent.Form>
      ) : null}
      <FormErrors errors={consent.data?.result.error?.[''] ?? undefined} />
      {d.staff && version.promotedVideoId ? (
        <p>
          <Link to={`/videos/${version.promotedVideoId}/edit`} className="font-medium">
            {t('rp.promote.done')} →
          </Link>
        </p>
      ) : d.staff && state.complete ? (
        <promote.Form method="post" action={`/roleplays/recordings/${recordingId}/promote`} className="space-y-1">
          <input type="hidden" name="intent" value="promote" />
          <p className="text-sm text-slate-700">{t('rp.promote.help')}</p>
          <button type="submit" className="btn-primary min-h-11" disabled={promote.state !== 'idle'}>
            {t('rp.promote.button')}
          </button>
        </promote.Form>
      ) : null}
      <FormErrors errors={promote.data?.result.error?.[''] ?? undefined} />
    </div>
  )
}

function formatDuration(seconds: number) {
  const m = Math.floor(seconds / 60)
  return `${m}:${String(seconds % 60).padStart(2, '0')}`
}

function Review({ d }: { d: Data }) {
  const t = useT()
  const a = d.assignment!
  const review = a.review!
  const [control, setControl] = useState<PlayerControl | null>(null)
  const [active, setActive] = useState<number | null>(null)
  const recording = a.versions.find((v) => v.id === review.recordingId)
  const replyResult = useResult('reply')
  return (
    <section className="card space-y-3" aria-labelledby="review-title" data-review>
      <h2 id="review-title">{t('rp.review.title')}</h2>
      {!review.releasedAt ? <p className="badge bg-amber-100 text-amber-900">{t('rp.review.draft')}</p> : null}
      {review.score !== null ? (
        <p className="text-2xl font-semibold" data-score>
          {t('rp.review.score', { score: review.score })}
        </p>
      ) : null}
      {review.summary ? <p className="whitespace-pre-line">{review.summary}</p> : null}
      <table className="w-full text-sm">
        <tbody>
          {KEY_POINTS.map((k) => (
            <tr key={k} className="border-b border-slate-100">
              <th scope="row" className="py-1 text-left font-normal">
                {k}. {t(`rp.kp.${k}`)}
              </th>
              <td className="py-1 text-right">{review.levels[String(k)] !== undefined ? t(`rp.level.${review.levels[String(k)]}`) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {recording ? (
        <>
          <RecordingPlayer
            recordingId={recording.id}
            mime={recording.mime}
            title={t('rp.recording.version', { version: recording.version })}
            durationSeconds={recording.durationSeconds}
            mux={d.playback}
            markers={a.comments.map((c) => ({ id: c.id, atMs: c.atMs ?? 0, tone: c.tone, body: c.body }))}
            onControl={setControl}
            activeId={active}
            onJump={setActive}
          />
          <CommentThread
            comments={a.comments}
            activeId={active}
            onJump={(c) => {
              control?.seek(c.atMs ?? 0)
              setActive(c.id)
            }}
            canReply={a.released || d.staff}
            replyErrors={replyResult?.result.error?.body ?? undefined}
          />
        </>
      ) : null}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
