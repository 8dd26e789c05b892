import type { ActionFunctionArgs } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { requireUser } from '~/modules/auth/session.server'
import { PromoteRecordingForm } from '~/modules/roleplay/roleplay'
import { promoteRecording } from '~/modules/roleplay/promote.server'
import { param, readForm } from '~/shared/forms'

// HR or the cohort's trainer adds a consented recording to the video library, then adds breakpoints.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: PromoteRecordingForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const r = await promoteRecording(user, param(params, 'recordingId'))
  if (!r.ok) return data({ result: submission.reply({ formErrors: [r.error] }) }, { status: 400 })
  return redirect(`/videos/${r.videoId}/edit`)
}
