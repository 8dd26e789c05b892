import { eq, inArray, sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { db, rowsOf, type Executor } from '#db/client.server'
import { emails } from '#db/schema'
import { env } from '~/env.server'
import { defaultLocale, isLocale, translator, type Locale } from '~/i18n'

export type Recipient = { id?: string; email: string; name: string; locale: string | null }
export type Attachment = { filename: string; contentType: string; content: string }

/** Templates whose texts live in app/i18n/messages/email.ts as email.<kind>.subject/body/action. */
export type EmailKind = 'password_reset' | 'invitation'

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Renders a templated email in the recipient's language: a greeting, a paragraph, a link. */
export function renderEmail(kind: EmailKind, locale: Locale, vars: Record<string, string | number> & { name: string; link: string }) {
  const t = translator(locale)
  const subject = t(`email.${kind}.subject`, vars)
  const greeting = t('email.greeting', vars)
  const body = t(`email.${kind}.body`, vars)
  const action = t(`email.${kind}.action`, vars)
  const text = [greeting, '', body, vars.link, '', t('email.ignore'), '', t('email.signature')].join('\n')
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">
<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(vars.link)}" style="display:inline-block;background:#0f766e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="font-size:13px;color:#4b5563">${escapeHtml(vars.link)}</p>
<p style="font-size:13px;color:#4b5563">${escapeHtml(t('email.ignore'))}</p><p>${escapeHtml(t('email.signature'))}</p></body></html>`
  return { subject, text, html }
}

/**
 * Queues an email in the recipient's language. Without SMTP_URL it stays in the outbox
 * (readable by HR admins); with it, the delivery loop sends it after the transaction commits.
 */
export async function sendTemplatedEmail(
  input: { to: Recipient; kind: EmailKind; vars: Record<string, string | number> & { name: string; link: string }; attachments?: Attachment[] },
  executor: Executor = db,
) {
  const locale: Locale = isLocale(input.to.locale) ? input.to.locale : defaultLocale
  const rendered = renderEmail(input.kind, locale, input.vars)
  const [row] = await executor
    .insert(emails)
    .values({
      toAddress: input.to.email,
      toUserId: input.to.id ?? null,
      locale,
      kind: input.kind,
      ...rendered,
      attachments: input.attachments ?? null,
      status: env().SMTP_URL ? 'queued' : 'outbox',
    })
    .returning({ id: emails.id })
  return row.id
}

let transport: nodemailer.Transporter | undefined
function smtp() {
  const url = env().SMTP_URL
  if (!url) return undefined
  transport ??= nodemailer.createTransport(url)
  return transport
}

/**
 * Sends queued emails over SMTP. Rows are claimed with SKIP LOCKED so several app instances
 * never send the same email twice. Returns how many were sent.
 */
export async function deliverQueuedEmails(limit = 20) {
  const mailer = smtp()
  if (!mailer) return 0
  const claimed = rowsOf<{ id: string }>(
    await db.execute(
      sql`update ${emails} set status = 'sent', sent_at = now() where id in (select id from ${emails} where status = 'queued' order by created_at limit ${limit} for update skip locked) returning id`,
    ),
  )
  if (claimed.length === 0) return 0
  const rows = await db.select().from(emails).where(inArray(emails.id, claimed.map((c) => c.id)))
  let sent = 0
  for (const row of rows) {
    try {
      await mailer.sendMail({
        from: env().MAIL_FROM,
        to: row.toAddress,
        subject: row.subject,
        text: row.text,
        html: row.html ?? undefined,
        attachments: row.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      })
      sent++
    } catch (error) {
      await db
        .update(emails)
        .set({ status: 'failed', sentAt: null, error: String(error).slice(0, 500) })
        .where(eq(emails.id, row.id))
    }
  }
  return sent
}
