import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { InvitationBadge, useSessionTime } from '~/components/sessions/badges'
import { useT } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { InvitationAnswer } from '~/modules/sessions/sessions'
import { getInvitationByToken, respondByToken } from '~/modules/sessions/invitations.server'
import { param, requireValid } from '~/shared/forms'

// The token is in the URL: keep it out of Referer headers sent to the online-meeting link.
export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (t) => t('title.invitation')), { name: 'referrer', content: 'no-referrer' }]

/** Shows what the link is for; answering needs the POST below (mail scanners follow GET links). */
export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await getInvitationByToken(param(params, 'token'))
  return { invitation }
}

const AnswerForm = z.object({ intent: InvitationAnswer })

export async function action({ request, params }: ActionFunctionArgs) {
  const input = await requireValid(request, AnswerForm)
  const result = await respondByToken(param(params, 'token'), input.intent, { origin: appUrl() })
  return result.ok ? { ok: true as const, status: result.status, title: result.title } : { ok: false as const, error: result.error }
}

export default function AnswerInvitation() {
  const t = useT()
  const sessionTime = useSessionTime()
  const { invitation } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('invitationLink.title')}</h1>
        {data?.ok ? (
          <div className="space-y-3" role="status">
            <p className="notice">{t(`invitationLink.done.${data.status}`, { title: data.title })}</p>
            <p className="text-sm">
              <Link to="/my/sessions">{t('invitationLink.mySessions')}</Link>
            </p>
          </div>
        ) : !invitation || data?.ok === false ? (
          <p className="alert" role="alert">
            {t('sessions.linkInvalid')} <Link to="/my/sessions">{t('invitationLink.mySessions')}</Link>
          </p>
        ) : (
          <>
            <p>{t('invitationLink.greeting', { name: invitation.name })}</p>
            <div>
              <p className="text-lg font-semibold">{invitation.title}</p>
              <p className="text-slate-700" suppressHydrationWarning>
                {sessionTime(invitation)}
              </p>
              <p className="text-slate-700">{[invitation.place, invitation.onlineUrl].filter(Boolean).join(' · ')}</p>
              <p className="mt-1 text-sm">
                {t('invitationLink.current')} <InvitationBadge status={invitation.status} />
              </p>
            </div>
            <Form method="post" className="grid grid-cols-2 gap-2">
              <button type="submit" name="intent" value="accept" className="btn-primary" disabled={navigation.state === 'submitting'}>
                {t('mySessions.accept')}
              </button>
              <button type="submit" name="intent" value="decline" className="btn-secondary" disabled={navigation.state === 'submitting'}>
                {t('mySessions.decline')}
              </button>
            </Form>
            <p className="text-xs text-slate-600">{t('invitationLink.once')}</p>
          </>
        )}
      </div>
    </div>
  )
}
