import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import lessonStyles from '~/components/courses/lesson.css?url'
import { RouteErrorBoundary } from '~/components/route-error'
import { useSessionTime } from '~/components/sessions/badges'
import { FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { AcknowledgeForm } from '~/modules/briefings/briefings'
import { acknowledgeBriefing, getBriefing } from '~/modules/briefings/briefings.server'
import { param, requireValid } from '~/shared/forms'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: lessonStyles }]
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getBriefing(user, param(params, 'sessionId'))
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const input = await requireValid(request, AcknowledgeForm)
  const result = await acknowledgeBriefing(user, sessionId, input.version)
  if (!result.ok) return { error: result.error }
  throw redirect(`/sessions/${sessionId}/briefing?acknowledged=1`)
}

export default function BriefingPack() {
  const t = useT()
  const sessionTime = useSessionTime()
  const formatDateTime = useFormatDateTime()
  const { session, briefing, html, acknowledged, mustAcknowledge, changedSinceAcknowledged, canEdit } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const [params] = useSearchParams()
  // The pack's own language marks its content (not the chrome), so screen readers and fonts follow it.
  const lang = briefing.language
  return (
    <article className="mx-auto max-w-3xl space-y-6 print:max-w-none">
      <p className="flex flex-wrap items-center gap-3 print:hidden">
        {mustAcknowledge ? null : <Link to={`/sessions/${session.id}`}>← {t('briefings.toSession')}</Link>}
        <button type="button" className="btn-secondary ml-auto min-h-9 px-3 py-1" onClick={() => window.print()}>
          {t('briefings.print')}
        </button>
        {canEdit ? (
          <Link to={`/sessions/${session.id}/briefing/edit`} className="btn-secondary min-h-9 px-3 py-1">
            {t('briefings.edit')}
          </Link>
        ) : null}
      </p>
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <h1>{t('briefings.titleFor', { title: session.title })}</h1>
          {briefing.status === 'draft' ? <span className="badge bg-amber-100 text-amber-900">{t('briefings.draftBadge')}</span> : null}
        </div>
        {briefing.status === 'published' ? (
          <p className="text-sm text-slate-600" suppressHydrationWarning>
            {t('briefings.meta', {
              version: briefing.version,
              date: formatDateTime(briefing.publishedAt),
              language: t(`briefings.language.${briefing.language}`),
            })}
          </p>
        ) : null}
      </header>
      {briefing.status === 'draft' ? (
        <p className="notice print:hidden" role="status">
          {t('briefings.draftNotice')}
        </p>
      ) : null}
      {params.get('acknowledged') && !mustAcknowledge ? (
        <p className="notice print:hidden" role="status">
          {t('briefings.acknowledgedNotice')}
        </p>
      ) : null}
      {mustAcknowledge ? (
        <p className="notice print:hidden" role="status">
          {changedSinceAcknowledged && acknowledged ? t('briefings.changedSince', { version: acknowledged.version }) : t('briefings.pleaseRead')}
        </p>
      ) : null}
      {data?.error ? <FormErrors errors={[data.error]} /> : null}

      <div className="space-y-6">
        <Section title={t('briefings.section.company')}>
          <Markdown lang={lang} html={html.companyBackground} />
        </Section>
        <Section title={t('briefings.section.audience')}>
          <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-700">{t('briefings.audience.departments')}</dt>
            <dd lang={lang} className="whitespace-pre-line">
              {briefing.audienceDepartments || t('briefings.empty')}
            </dd>
            <dt className="font-medium text-slate-700">{t('briefings.audience.levels')}</dt>
            <dd lang={lang} className="whitespace-pre-line">
              {briefing.audienceLevels || t('briefings.empty')}
            </dd>
            <dt className="font-medium text-slate-700">{t('briefings.audience.headCount')}</dt>
            <dd>{briefing.headCount ?? t('briefings.empty')}</dd>
          </dl>
          {html.audienceNotes ? <Markdown lang={lang} html={html.audienceNotes} /> : null}
        </Section>
        <Section title={t('briefings.section.problems')}>
          <Markdown lang={lang} html={html.followUpProblems} />
        </Section>
        <Section title={t('briefings.section.cases')}>
          <Markdown lang={lang} html={html.cases} />
        </Section>
        <Section title={t('briefings.section.dos')}>
          <Markdown lang={lang} html={html.dosAndDonts} />
        </Section>
        <Section title={t('briefings.section.logistics')}>
          <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-700">{t('briefings.logistics.time')}</dt>
            <dd suppressHydrationWarning>{sessionTime(session)}</dd>
            <dt className="font-medium text-slate-700">{t('briefings.logistics.place')}</dt>
            <dd>{session.place || t('briefings.empty')}</dd>
            {session.onlineUrl ? (
              <>
                <dt className="font-medium text-slate-700">{t('briefings.logistics.online')}</dt>
                <dd>
                  <a href={session.onlineUrl} rel="noreferrer" target="_blank">
                    {session.onlineUrl}
                  </a>
                </dd>
              </>
            ) : null}
            <dt className="font-medium text-slate-700">{t('briefings.logistics.contact')}</dt>
            <dd lang={lang} className="whitespace-pre-line">
              {briefing.contact || t('briefings.empty')}
            </dd>
          </dl>
          {html.equipment ? (
            <>
              <h3 className="mt-4 font-semibold">{t('briefings.logistics.equipment')}</h3>
              <Markdown lang={lang} html={html.equipment} />
            </>
          ) : null}
          {html.logisticsNotes ? (
            <>
              <h3 className="mt-4 font-semibold">{t('briefings.logistics.notes')}</h3>
              <Markdown lang={lang} html={html.logisticsNotes} />
            </>
          ) : null}
        </Section>
      </div>

      <footer className="card space-y-3 print:hidden">
        {acknowledged && !mustAcknowledge ? (
          <p suppressHydrationWarning>{t('briefings.acknowledgedOn', { version: acknowledged.version, date: formatDateTime(acknowledged.at) })}</p>
        ) : null}
        {mustAcknowledge ? (
          <Form method="post">
            <input type="hidden" name="intent" value="acknowledge" />
            <input type="hidden" name="version" value={briefing.version} />
            <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
              {t('briefings.acknowledge')}
            </button>
          </Form>
        ) : (
          <Link to={`/sessions/${session.id}`} className="btn-primary">
            {t('briefings.toSession')}
          </Link>
        )}
      </footer>
    </article>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card space-y-3 print:break-inside-avoid print:border-0 print:bg-transparent print:p-0 print:shadow-none">
      <h2>{title}</h2>
      {children}
    </section>
  )
}

/** Server-rendered Markdown (raw HTML escaped, only http(s)/mailto links: see app/shared/markdown.server.ts). */
function Markdown({ html, lang }: { html: string; lang: string }) {
  const t = useT()
  if (!html) return <p className="text-slate-600">{t('briefings.empty')}</p>
  return <div lang={lang} className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
}

export const ErrorBoundary = RouteErrorBoundary
