import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { CaseText, GradeResults } from '~/components/cases/case-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { ResumableUpload } from '~/components/upload/resumable-upload'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useIntentReply } from '~/components/ui/action-reply'
import { resolveLocale } from '~/i18n/locale.server'
import { translator } from '~/i18n'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { ContributionForm, PeerRatingForm, SubmitForm } from '~/modules/assignments/assignments'
import { getGroupPage, submitVersion } from '~/modules/assignments/assignments.server'
import { peerTargets, rateContributions, ratePeer } from '~/modules/assignments/grading.server'
import { UploadRejected, uploadLimit, uploadRejectionMessage } from '~/modules/assignments/storage.server'
import { requireUser } from '~/modules/auth/session.server'
import { MessageForm } from '~/modules/groups/groups'
import { postGroupMessage } from '~/modules/groups/groups.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.group.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const page = await getGroupPage(user, param(params, 'groupId'))
  const targets = page.member ? await peerTargets(user, page.group.id) : []
  return { ...page, peerTargets: targets, me: user.id, slidesLimit: uploadLimit('slides') }
}

const GroupAction = z.discriminatedUnion('intent', [MessageForm, SubmitForm, PeerRatingForm, ContributionForm])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const groupId = param(params, 'groupId')
  const submission = parseWithZod(await readForm(request), { schema: GroupAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), intent: null }, { status: 400 })
  const value = submission.value
  const fail = (errors: Record<string, string[]>) => data({ result: submission.reply({ fieldErrors: errors }), intent: value.intent }, { status: 400 })
  const done = () => ({ result: submission.reply({ resetForm: true }), intent: value.intent })
  switch (value.intent) {
    case 'message': {
      const r = await postGroupMessage(user, groupId, value.body)
      return r.ok ? done() : fail({ body: [r.error] })
    }
    case 'submit': {
      try {
        const r = await submitVersion(user, groupId, value.uploadId)
        if (!r.ok) return fail({ uploadId: [`cases.submission.${r.error}`] })
        return { result: submission.reply({ resetForm: true }), intent: value.intent, version: r.version, late: r.late }
      } catch (error) {
        if (!(error instanceof UploadRejected)) throw error
        // The refused file is gone; the current submission is untouched.
        return fail({ uploadId: [uploadRejectionMessage(translator(await resolveLocale(request)), error)] })
      }
    }
    case 'peer-rating': {
      const r = await ratePeer(user, value.assignmentId, value.score, value.comment)
      return r.ok ? done() : fail({ score: [r.error] })
    }
    case 'contribution': {
      const r = await rateContributions(user, groupId, value.ratings)
      return r.ok ? done() : fail({ ratings: [r.error] })
    }
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function GroupPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const formatDateTime = useFormatDateTime()
  const a = d.assignment
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <p>
        <Link to="/groups">← {t('groups.mine')}</Link>
      </p>
      <div>
        <h1>{t('groups.groupName', { name: d.group.name })}</h1>
        <p className="text-sm text-slate-700" data-members>
          {d.members.map((m) => m.name).join(' · ')}
        </p>
        <p className="mt-1">
          <Link to={`/groups/${d.group.id}/roleplay`}>{t('rp.page.title')} →</Link>
        </p>
      </div>
      {!a ? (
        <p className="notice" role="status">
          {t('cases.noCaseYet')}
        </p>
      ) : (
        <>
          <p className="font-medium" suppressHydrationWarning data-due>
            {t('cases.due', { when: formatDateTime(a.dueAt) })}
          </p>
          <CaseText theCase={a.case} />
          <Submission d={d} />
          {a.results.grade ? (
            <GradeResults results={a.results} staff={d.staff} />
          ) : d.member ? (
            <p className="text-sm text-slate-700">{t('cases.grade.notReleased')}</p>
          ) : null}
          {a.contributionRatings && d.member ? <Contribution d={d} /> : null}
          {d.peerTargets.length > 0 ? <PeerRatings d={d} /> : null}
        </>
      )}
      <Thread d={d} />
    </div>
  )
}

const useResult = (intent: string) => useIntentReply<typeof action>(intent)

function Submission({ d }: { d: Data }) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const navigation = useNavigation()
  const result = useResult('submit')
  const a = d.assignment!
  return (
    <section className="card space-y-3" aria-labelledby="submission-title">
      <h2 id="submission-title">{t('cases.submission.title')}</h2>
      {result && 'version' in result ? (
        <p className="notice" role="status">
          {t((result as { late?: boolean }).late ? 'cases.submission.savedLate' : 'cases.submission.saved', { version: Number(result.version) })}
        </p>
      ) : null}
      {a.versions.length === 0 ? (
        <p className="text-slate-700">{t('cases.submission.none')}</p>
      ) : (
        <ol className="space-y-1" data-versions>
          {[...a.versions].reverse().map((v) => (
            <li key={v.id} className="flex flex-wrap items-baseline gap-2 text-sm" data-version={v.version}>
              <strong>{t('cases.submission.version', { version: v.version })}</strong>
              <a href={`/files/${v.fileId}`}>{v.fileName}</a>
              <span className="text-slate-700" suppressHydrationWarning>
                {t('cases.submission.by', { name: v.uploadedBy, when: formatDateTime(v.uploadedAt) })}
              </span>
              {v.late ? <span className="badge bg-amber-100 text-amber-900">{t('cases.late')}</span> : null}
              {v.id === a.submissionId ? <span className="badge bg-emerald-100 text-emerald-900">{t('cases.submission.current')}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {d.member ? (
        <Form method="post" className="space-y-2" data-submit-form>
          <input type="hidden" name="intent" value="submit" />
          <ResumableUpload purpose="slides" name="uploadId" accept=".pdf,.pptx" maxBytes={d.slidesLimit} errors={result?.result.error?.uploadId ?? undefined} />
          <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('cases.submission.submit')}
          </button>
          <p className="text-xs text-slate-600">{t('cases.submission.help')}</p>
        </Form>
      ) : null}
    </section>
  )
}

function Contribution({ d }: { d: Data }) {
  const t = useT()
  const result = useResult('contribution')
  const mine = new Map(d.assignment!.results.myContributions.map((c) => [c.rateeId, c.score]))
  const others = d.members.filter((m) => m.userId !== d.me)
  return (
    <section className="card space-y-2">
      <h2>{t('cases.contribution.title')}</h2>
      <p className="text-sm text-slate-700">{t('cases.contribution.help')}</p>
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value="contribution" />
        {others.map((m) => (
          <label key={m.userId} className="flex items-center gap-2">
            <span className="min-w-40">{m.name}</span>
            <select name={`ratings.${m.userId}`} defaultValue={mine.get(m.userId) ?? 3} className="input !w-auto">
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {t(`cases.rating.${n}`)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <FieldErrors errors={result?.result.error?.ratings ?? undefined} />
        <button type="submit" className="btn-secondary">
          {t('cases.contribution.save')}
        </button>
        {result && !result.result.error ? <span role="status">{t('common.saved')}</span> : null}
      </Form>
    </section>
  )
}

function PeerRatings({ d }: { d: Data }) {
  const t = useT()
  const result = useResult('peer-rating')
  return (
    <section className="card space-y-2">
      <h2>{t('cases.peer.title')}</h2>
      <p className="text-sm text-slate-700">{t('cases.peer.help')}</p>
      {d.peerTargets.map((p) => (
        <Form method="post" key={p.assignmentId} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="peer-rating" />
          <input type="hidden" name="assignmentId" value={p.assignmentId} />
          <span className="min-w-32 font-medium">{t('groups.groupName', { name: p.groupName })}</span>
          <select name="score" aria-label={t('cases.peer.score')} defaultValue={p.myScore ?? ''} className="input !w-auto" required>
            <option value="">—</option>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {t(`cases.rating.${n}`)}
              </option>
            ))}
          </select>
          <input name="comment" aria-label={t('cases.peer.comment')} placeholder={t('cases.peer.comment')} className="input min-w-0 flex-1" maxLength={1000} />
          <button type="submit" className="btn-secondary">
            {t('cases.peer.save')}
          </button>
        </Form>
      ))}
      <FieldErrors errors={result?.result.error?.score ?? undefined} />
    </section>
  )
}

function Thread({ d }: { d: Data }) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const result = useResult('message')
  return (
    <section className="card space-y-2" aria-labelledby="thread-title">
      <h2 id="thread-title">{t('groups.thread.title')}</h2>
      {d.thread.length === 0 ? <p className="text-sm text-slate-700">{t('groups.thread.empty')}</p> : null}
      <ul className="space-y-2">
        {d.thread.map((m) => (
          <li key={m.id} className="text-sm">
            <span className="font-medium">{m.author}</span>{' '}
            <span className="text-xs text-slate-600" suppressHydrationWarning>
              {formatDateTime(m.createdAt)}
            </span>
            <p className="whitespace-pre-wrap">{m.body}</p>
          </li>
        ))}
      </ul>
      {d.member ? (
        <Form method="post" className="space-y-1">
          <input type="hidden" name="intent" value="message" />
          <label htmlFor="thread-body" className="sr-only">
            {t('groups.thread.write')}
          </label>
          <textarea id="thread-body" name="body" rows={2} maxLength={2000} className="input" placeholder={t('groups.thread.write')} />
          <FieldErrors errors={result?.result.error?.body ?? undefined} />
          <FormErrors errors={result?.result.error?.[''] ?? undefined} />
          <button type="submit" className="btn-secondary">
            {t('groups.thread.send')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
