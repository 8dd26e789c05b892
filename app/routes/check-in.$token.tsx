import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { CheckInResult, type CheckInOutcome } from '~/components/sessions/check-in-result'
import { AttendanceBadge, useSessionTime } from '~/components/sessions/badges'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { checkInWithLink, linkForSignIn, previewCheckIn } from '~/modules/attendance/attendance.server'
import { getCurrentUser, requireUser } from '~/modules/auth/session.server'
import { param, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (t) => t('title.checkIn')), { name: 'referrer', content: 'no-referrer' }]

/**
 * GET shows which session the scanned code is for; the check-in itself is the POST. Someone
 * not signed in goes through sign-in first, carrying a link that outlives the 30-second code.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = param(params, 'token')
  const user = await getCurrentUser(request)
  if (!user) {
    const carried = linkForSignIn(token) ?? token
    throw redirect(`/login?${new URLSearchParams({ redirectTo: `/check-in/${carried}` })}`)
  }
  return { preview: await previewCheckIn(user, token) }
}

const CheckInForm = z.object({ grant: z.string().min(1).max(200) })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const input = await requireValid(request, CheckInForm)
  const result = await checkInWithLink(user, input.grant)
  const outcome: CheckInOutcome = result.ok
    ? { ok: true, status: result.status, already: result.already, title: result.title }
    : { ok: false, reason: result.reason, opensAt: result.opensAt }
  return { outcome }
}

export default function CheckInByLink() {
  const t = useT()
  const sessionTime = useSessionTime()
  const { preview } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('checkIn.title')}</h1>
        {data?.outcome ? (
          <CheckInResult outcome={data.outcome} />
        ) : !preview.ok ? (
          <CheckInResult outcome={{ ok: false, reason: 'expired' }} />
        ) : (
          <>
            <div>
              <p className="text-lg font-semibold">{preview.session.title}</p>
              <p className="text-slate-700" suppressHydrationWarning>
                {sessionTime(preview.session)}
              </p>
              {preview.session.place ? <p className="text-slate-700">{preview.session.place}</p> : null}
            </div>
            {preview.attendance ? (
              <p>
                {t('checkIn.alreadyRecorded')} <AttendanceBadge status={preview.attendance} />
              </p>
            ) : !preview.invited ? (
              <CheckInResult outcome={{ ok: false, reason: 'not_invited' }} />
            ) : (
              <Form method="post">
                <input type="hidden" name="grant" value={preview.grant} />
                <button type="submit" className="btn-primary min-h-14 w-full text-lg" disabled={navigation.state === 'submitting'}>
                  {t('checkIn.confirm')}
                </button>
              </Form>
            )}
          </>
        )}
        <p className="text-sm">
          <Link to="/check-in">{t('checkIn.typeCodeInstead')}</Link>
        </p>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
