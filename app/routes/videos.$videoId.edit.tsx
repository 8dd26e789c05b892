import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { BreakpointEditor } from '~/components/video/breakpoint-editor'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { deleteBreakpoint, getVideoForEditor, moveBreakpoint, saveBreakpoint } from '~/modules/videos/editor.server'
import { EditorActionSchema } from '~/modules/videos/videos'
import { param, readJson } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videoEdit'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getVideoForEditor(user, param(params, 'videoId'), await resolveLocale(request, user))
}

// The editor posts JSON: one intent per write, validated again in the module.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = EditorActionSchema.safeParse(await readJson(request))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const input = parsed.data
  if (input.intent === 'save') return saveBreakpoint(user, param(params, 'videoId'), input.breakpoint)
  if (input.intent === 'move') return moveBreakpoint(user, input.breakpointId, input.timeSeconds)
  return deleteBreakpoint(user, input.breakpointId)
}

// The editor keeps its own state from the action results; reloading the video's data would disturb the player.
export const shouldRevalidate = () => false

export default function EditBreakpoints() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link to="/videos">{t('videos.title')}</Link> · <Link to={`/videos/${data.video.id}`}>{data.video.title}</Link>
      </p>
      <h1>{t('videos.editor.title', { title: data.video.title })}</h1>
      <BreakpointEditor data={data} />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
