import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#db/seed/demo-accounts'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { demoSignIn } from '~/modules/auth/demo.server'
import { requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.demo'))

export async function loader(_: LoaderFunctionArgs) {
  const accounts = await demoSignIn.accounts()
  return { accounts, password: DEMO_PASSWORD }
}

const DemoForm = z.object({ email: z.string().refine((email) => DEMO_ACCOUNTS.some((a) => a.email === email), 'errors.invalid') })

export async function action({ request, context }: ActionFunctionArgs) {
  const { email } = await requireValid(request, DemoForm)
  const cookie = await demoSignIn.signIn(email, { ip: clientIp(context), userAgent: request.headers.get('User-Agent') })
  throw redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export default function Demo() {
  const { accounts, password } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1>{t('demo.title')}</h1>
      <p className="notice">{t('demo.intro', { password })}</p>
      <ul className="space-y-2">
        {accounts.map((a) => (
          <li key={a.email} className="card flex flex-wrap items-center justify-between gap-3 !p-4">
            <div>
              <p className="font-medium">{a.name}</p>
              <p className="text-sm text-slate-600">
                {t(`role.${a.role}`)} · {a.email}
              </p>
            </div>
            <Form method="post">
              <input type="hidden" name="email" value={a.email} />
              <button type="submit" className="btn-primary" data-role={a.role}>
                {t('demo.signInAs', { name: t(`role.${a.role}`) })}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  )
}
