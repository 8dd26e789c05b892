import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { LiveScoreSheet } from '~/components/roleplay/live-score-sheet'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { ReleaseReviewForm } from '~/modules/roleplay/roleplay'
import { getReviewPage, releaseReview } from '~/modules/roleplay/review.server'
import { param, requireValid } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.group.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getReviewPage(user, param(params, 'assignmentId'))
}

// Releasing the live score; the levels and summary are saved as they are typed (the score route).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const assignmentId = param(params, 'assignmentId')
  await requireValid(request, ReleaseReviewForm)
  const r = await releaseReview(user, assignmentId)
  return r.ok ? { error: null } : data({ error: r.error }, { status: 400 })
}

export default function LiveScoring() {
  const t = useT()
  const locale = useLocale()
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const released = Boolean(d.review?.releasedAt)
  const liveReview = d.review && (d.review.mode === 'live' || d.review.releasedAt) ? d.review : null
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p>{d.assignment.sessionId ? <Link to={`/sessions/${d.assignment.sessionId}/roleplays`}>← {t('rp.board.title')}</Link> : null}</p>
      <div>
        <h1>
          {t('rp.live.title')} · {t('groups.groupName', { name: d.group.name })}
        </h1>
        <p className="text-slate-700">{d.scenario.title[locale] || d.scenario.title.en}</p>
        <p className="text-sm text-slate-700">{t('rp.live.intro')}</p>
      </div>
      {d.review && d.review.mode === 'recording' && !released ? (
        <p className="notice" role="status">
          {t('rp.live.recordingReviewExists')}
        </p>
      ) : null}
      {released ? (
        <p className="notice" role="status">
          {t('rp.review.released')}
        </p>
      ) : null}
      <LiveScoreSheet
        assignmentId={d.assignment.id}
        initial={{ levels: liveReview?.levels ?? {}, summary: liveReview?.summary ?? '' }}
        focus={d.scenario.keyPoints}
        savedAt={liveReview?.updatedAt ?? null}
        disabled={released}
      />
      {!released ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="intent" value="release" />
          <p className="text-sm text-slate-700">{t('rp.review.releaseHelp')}</p>
          <FormErrors errors={actionData?.error ? [actionData.error] : undefined} />
          <button type="submit" className="btn-primary min-h-11">
            {t('rp.review.release')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
