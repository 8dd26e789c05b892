import type { ActionFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { requireUser } from '~/modules/auth/session.server'
import { RecordingConsentForm } from '~/modules/roleplay/roleplay'
import { setRecordingConsent } from '~/modules/roleplay/promote.server'
import { param, readForm } from '~/shared/forms'

// A member of the group gives or takes back consent to show the recording as a teaching example.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: RecordingConsentForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const r = await setRecordingConsent(user, param(params, 'recordingId'), submission.value.consent === 'yes')
  if (!r.ok) return data({ result: submission.reply({ formErrors: [r.error] }) }, { status: 400 })
  return { result: submission.reply() }
}
