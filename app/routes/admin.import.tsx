import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import type { Translate } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import type { ChangeKind, ImportRowResult, MessageRef } from '~/modules/org/org-import'
import { applyOrgImport, assertCanImport, discardOrgImport, getOrgImport, previewOrgImport } from '~/modules/org/org-import.server'
import { badRequest, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.import'))

// A preview of 20,000 rows would be a page nobody reads; errors and changes come first anyway.
const MAX_SHOWN_ROWS = 1000

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const url = new URL(request.url)
  const importId = url.searchParams.get('import')
  if (!importId) {
    await assertCanImport(user)
    return { preview: null, shownRows: [], totalShown: 0, showAll: false }
  }
  const preview = await getOrgImport(user, importId)
  const showAll = url.searchParams.get('show') === 'all'
  const visible = showAll ? preview.rows : preview.rows.filter((r) => r.change !== 'unchanged')
  const { rows: _all, ...rest } = preview
  return { preview: rest, shownRows: visible.slice(0, MAX_SHOWN_ROWS), totalShown: visible.length, showAll }
}

const isUpload = (value: unknown): value is File =>
  typeof value === 'object' && value !== null && 'arrayBuffer' in value && 'size' in value && Number(value.size) > 0

const Upload = z.object({
  intent: z.literal('preview'),
  file: z.custom<File>(isUpload, { message: 'import.fileRequired' }),
})

const Decision = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('apply'), importId: z.string().uuid(), deactivateMissing: z.boolean().default(false) }),
  z.object({ intent: z.literal('discard'), importId: z.string().uuid() }),
])

const MAX_UPLOAD_BYTES = 5_000_000

async function readImportForm(request: Request) {
  if (!request.headers.get('Content-Type')?.startsWith('multipart/form-data')) return readForm(request)
  return unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }))
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  let formData: FormData
  try {
    formData = await readImportForm(request)
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { fileErrors: [{ key: 'import.fileTooLarge' }] as MessageRef[] }
    if (error instanceof Response) throw error
    throw badRequest()
  }
  if (formData.get('intent') === 'preview') {
    const submission = parseWithZod(formData, { schema: Upload })
    if (submission.status !== 'success') return { result: submission.reply() }
    const { file } = submission.value
    const outcome = await previewOrgImport(user, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
    if (!outcome.ok) return { fileErrors: outcome.errors }
    throw redirect(`/admin/import?import=${outcome.preview.id}`)
  }
  const decision = await requireValid(formData, Decision)
  if (decision.intent === 'discard') {
    await discardOrgImport(user, decision.importId)
    throw redirect('/admin/import')
  }
  const outcome = await applyOrgImport(user, decision.importId, { deactivateMissing: decision.deactivateMissing }, clientIp(context))
  if (!outcome.ok) return { applyError: outcome.error }
  throw redirect(`/admin/import?import=${decision.importId}`)
}

/** Row errors name a column by its code; show the column's name in the viewer's language. */
function messageText(t: Translate, ref: MessageRef) {
  const vars = ref.vars && typeof ref.vars.column === 'string' ? { ...ref.vars, column: t(`import.column.${ref.vars.column}`) } : ref.vars
  return t(ref.key, vars)
}

const badgeClass: Record<ChangeKind, string> = {
  create: 'bg-green-100 text-green-900',
  update: 'bg-amber-100 text-amber-900',
  unchanged: 'bg-slate-200 text-slate-800',
  error: 'bg-red-100 text-red-900',
}

export default function ImportOrgChart() {
  const t = useT()
  const { preview, shownRows, totalShown, showAll } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [form, fields] = useForm({
    lastResult: data && 'result' in data ? data.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: Upload }),
    shouldValidate: 'onSubmit',
  })
  const fileErrors: MessageRef[] = (data && 'fileErrors' in data && data.fileErrors) || (fields.file.errors ?? []).map((key) => ({ key }))
  const applyError = data && 'applyError' in data ? data.applyError : null
  const summary = preview?.summary
  const canApply = preview?.status === 'previewed' && summary?.errors === 0
  const showUpload = !preview || !canApply

  return (
    <div className="space-y-6">
      <div>
        <h1>{t('import.title')}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t('import.intro')}</p>
      </div>

      {preview?.status === 'applied' && summary ? (
        <p className="notice" role="status" data-testid="import-applied">
          {t('import.applied', {
            created: summary.created,
            updated: summary.updated,
            deactivated: 'deactivated' in summary ? summary.deactivated : 0,
            unchanged: summary.unchanged,
          })}
        </p>
      ) : null}
      {preview?.status === 'discarded' ? (
        <p className="notice" role="status">
          {t('import.discarded')}
        </p>
      ) : null}
      {applyError ? (
        <div className="alert" role="alert" data-testid="import-apply-error">
          {t(applyError)}
        </div>
      ) : null}

      {showUpload ? (
        <section className="card max-w-2xl space-y-4" aria-labelledby="upload-heading">
          <h2 id="upload-heading">{preview ? t('import.uploadAnother') : t('import.uploadHeading')}</h2>
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-4">
            <div>
              <label htmlFor={fields.file.id} className="label">
                {t('import.file')}
              </label>
              <input
                {...getInputProps(fields.file, { type: 'file' })}
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                className="input"
                aria-invalid={fileErrors.length > 0 || undefined}
                aria-describedby={fileErrors.length ? fields.file.errorId : 'import-roles-hint'}
              />
              <p id="import-roles-hint" className="mt-1 text-xs text-slate-600">
                {t('import.rolesHint')}
              </p>
              {fileErrors.length ? (
                <div id={fields.file.errorId} className="field-error" role="alert" data-testid="import-file-errors">
                  {fileErrors.map((e, i) => (
                    <p key={i}>{messageText(t, e)}</p>
                  ))}
                </div>
              ) : null}
            </div>
            <button type="submit" name="intent" value="preview" className="btn-primary" disabled={busy}>
              {t('import.preview')}
            </button>
          </Form>
        </section>
      ) : null}

      {preview && summary ? (
        <section className="space-y-4" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t('import.previewTitle', { filename: preview.filename })}</h2>
          <p
            data-testid="import-summary"
            data-rows={summary.rows}
            data-created={summary.created}
            data-updated={summary.updated}
            data-unchanged={summary.unchanged}
            data-errors={summary.errors}
            className="font-medium"
          >
            {t('import.summary', {
              rows: summary.rows,
              created: summary.created,
              updated: summary.updated,
              unchanged: summary.unchanged,
              errors: summary.errors,
              missing: summary.missing,
            })}
          </p>
          {preview.status === 'previewed' && (summary.warnings || summary.missingAdmins?.length) ? (
            <div className="alert" role="alert" data-testid="import-warnings">
              {summary.warnings ? <p>{t('import.warn.rows', { count: summary.warnings })}</p> : null}
              {summary.missingAdmins?.length ? <p>{t('import.warn.missingAdmins', { names: summary.missingAdmins.join(', ') })}</p> : null}
            </div>
          ) : null}
          {preview.status === 'previewed' && summary.errors > 0 ? (
            <div className="alert" role="alert">
              {t('import.hasErrors')}
            </div>
          ) : null}
          {!preview.hasRolesColumn ? <p className="text-sm text-slate-700">{t('import.rolesColumnAbsent')}</p> : null}

          <p className="text-sm">
            <Link to={`?import=${preview.id}${showAll ? '' : '&show=all'}`} preventScrollReset>
              {showAll ? t('import.showChanges') : t('import.showAll')}
            </Link>
          </p>
          {shownRows.length === 0 ? (
            <p className="text-slate-700">{t('import.nothingToShow')}</p>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-labelledby="preview-caption">
              <table className="table min-w-[56rem]">
                <caption id="preview-caption" className="p-3 text-left text-sm text-slate-700">
                  {t('import.tableCaption', { filename: preview.filename })}
                  {totalShown > shownRows.length ? ` ${t('import.truncated', { shown: shownRows.length, total: totalShown })}` : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('import.row')}</th>
                    <th scope="col">{t('import.column.employeeNumber')}</th>
                    <th scope="col">{t('import.column.name')}</th>
                    <th scope="col">{t('import.column.email')}</th>
                    <th scope="col">{t('import.column.department')}</th>
                    <th scope="col">{t('import.manager')}</th>
                    {preview.hasRolesColumn ? <th scope="col">{t('import.column.roles')}</th> : null}
                    <th scope="col">{t('import.change')}</th>
                    <th scope="col">{t('import.changedFields')}</th>
                    <th scope="col">{t('import.errors')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shownRows.map((r) => (
                    <PreviewRow key={r.row} row={r} t={t} roles={preview.hasRolesColumn} />
                  ))}
                </tbody>
              </table>
            </div>
          )}

          {preview.status === 'previewed' ? (
            <Form method="post" className="card space-y-4">
              <input type="hidden" name="importId" value={preview.id} />
              {canApply && summary.missing > 0 ? (
                <div>
                  <p className="text-sm text-slate-800" data-testid="import-missing" data-missing={summary.missing}>
                    {t('import.willDeactivate', { count: summary.missing })}
                  </p>
                  <label className="mt-2 flex items-start gap-2 text-sm">
                    <input type="checkbox" name="deactivateMissing" className="mt-1 size-4" aria-describedby="missing-hint" />
                    <span>{t('import.deactivateMissing')}</span>
                  </label>
                  <p id="missing-hint" className="mt-1 text-xs text-slate-600">
                    {t('import.missingHint')}
                  </p>
                </div>
              ) : null}
              {canApply ? <p className="text-xs text-slate-600">{t('import.noPasswordsHint')}</p> : null}
              <div className="flex flex-wrap gap-3">
                {canApply ? (
                  <button type="submit" name="intent" value="apply" className="btn-primary" disabled={busy}>
                    {t('import.apply')}
                  </button>
                ) : null}
                <button type="submit" name="intent" value="discard" className="btn-secondary" disabled={busy}>
                  {t('import.discard')}
                </button>
              </div>
            </Form>
          ) : (
            <p>
              <Link to="/admin/import">{t('import.uploadAnother')}</Link>
            </p>
          )}
        </section>
      ) : null}
    </div>
  )
}

/** The new value of a changed field as the row has it, for "old → new". */
function newValue(row: ImportRowResult, field: string) {
  if (field === 'department') return row.departmentPath ?? ''
  if (field === 'manager') return row.managerNumber
  if (field === 'roles') return (row.roleList ?? []).join('; ')
  return String((row as unknown as Record<string, unknown>)[field] ?? '')
}

function PreviewRow({ row, t, roles }: { row: ImportRowResult; t: Translate; roles: boolean }) {
  return (
    <tr data-testid={`import-row-${row.row}`} data-change={row.change} className={row.change === 'error' ? 'bg-red-50' : undefined}>
      <th scope="row" className="!border-slate-200 !bg-transparent font-normal">
        {row.row}
      </th>
      <td>{row.employeeNumber}</td>
      <td>{row.name}</td>
      <td className="break-all">{row.email}</td>
      <td>{row.departmentPath ?? row.department}</td>
      <td>{row.managerNumber}</td>
      {roles ? <td>{(row.roleList ?? []).join('; ')}</td> : null}
      <td>
        <span className={`badge ${badgeClass[row.change]}`}>{t(`import.change.${row.change}`)}</span>
      </td>
      <td data-testid="import-row-changes">
        {row.changes.length ? (
          <ul className="space-y-1">
            {row.changes.map((c) => (
              <li key={c}>
                {c === 'reactivate' ? (
                  t('import.field.reactivate')
                ) : (
                  <>
                    {t(`import.field.${c}`)}: <del className="text-slate-600">{row.before?.[c] || '—'}</del> →{' '}
                    <ins className="no-underline">{newValue(row, c) || '—'}</ins>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {row.warnings?.length ? (
          <ul className="mt-1 space-y-1 font-medium text-amber-900" data-testid="import-row-warnings">
            {row.warnings.map((w, i) => (
              <li key={i}>⚠ {messageText(t, w)}</li>
            ))}
          </ul>
        ) : null}
      </td>
      <td className="text-red-800" data-testid="import-row-errors">
        {row.errors.length ? (
          <ul className="space-y-1">
            {row.errors.map((e, i) => (
              <li key={i}>{messageText(t, e)}</li>
            ))}
          </ul>
        ) : null}
      </td>
    </tr>
  )
}

export const ErrorBoundary = RouteErrorBoundary
