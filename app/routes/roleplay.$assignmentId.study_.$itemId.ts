import type { LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { openStudyItem } from '~/modules/roleplay/study.server'
import { param } from '~/shared/forms'

/** Opening a self-study item: records it for a member (the first time), then goes to the lesson, video or file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const opened = await openStudyItem(user, param(params, 'itemId'))
  if (opened.assignmentId !== param(params, 'assignmentId')) throw new Response('Not found', { status: 404 })
  return redirect(opened.href ?? `/roleplay/${opened.assignmentId}/study`)
}
