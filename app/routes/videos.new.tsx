import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { UploadForm } from '~/components/video/upload-form'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { describeMuxVideo } from '~/modules/videos/mux.server'
import { finalizeUpload, MAX_POSTER_BYTES, uploadPageInfo } from '~/modules/videos/uploads.server'
import { badRequest } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videoNew'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return uploadPageInfo(user)
}

// The file itself arrived in chunks; this receives its metadata, captions and the poster the browser took.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_POSTER_BYTES }))
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { errors: { poster: ['videos.upload.badPoster'] } }
    // Not multipart, or a broken body: the client's fault, never a 500.
    throw badRequest()
  }
  let meta: unknown
  try {
    const text = String(form.get('meta') ?? '')
    if (text.includes('\u0000') || text.includes('\\u0000')) throw new Error('NUL')
    meta = JSON.parse(text)
  } catch {
    throw badRequest()
  }
  // A Mux upload: Mux makes the poster and measures the duration; we keep the description.
  if (meta && typeof meta === 'object' && 'videoId' in meta) {
    const described = await describeMuxVideo(user, meta)
    if (!described.ok) return { errors: described.errors }
    throw redirect('/videos')
  }
  const poster = form.get('poster')
  const bytes = poster instanceof Blob && poster.size > 0 ? new Uint8Array(await poster.arrayBuffer()) : null
  const outcome = await finalizeUpload(user, meta as never, bytes)
  if (!outcome.ok) return { errors: outcome.errors }
  throw redirect(`/videos/${outcome.videoId}/edit`)
}

export default function NewVideo() {
  const t = useT()
  const { mux } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  return (
    <div className="max-w-3xl space-y-4">
      <p className="text-sm">
        <Link to="/videos">{t('videos.title')}</Link>
      </p>
      <h1>{t('videos.upload.title')}</h1>
      <p className="text-slate-700">{t('videos.upload.intro')}</p>
      <UploadForm mux={mux} errors={data?.errors} />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
