/**
 * The mail domain: templated email in the recipient's language, queued in the `emails` outbox
 * table in the caller's transaction and delivered over SMTP by the app process. A base domain:
 * it imports no other domain, so auth (password reset, invitations) and every feature can send
 * mail without a cycle. The HR outbox view and in-app notices live in notifications.
 */
import { eq, inArray, sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { emails } from '#db/schema'
import { env } from '~/env.server'
import { defaultLocale, hasMessage, isLocale, translator, type Locale } from '~/i18n'

export type Recipient = { id?: string; email: string; name: string; locale: string | null }
export type Attachment = { filename: string; contentType: string; content: string }

/** Templates whose texts live in app/i18n/messages/ (email.ts, sessions.ts, surveys.ts, notifications.ts, briefings.ts) as email.<kind>.subject/body/action[/footer]. */
export type EmailKind =
  | 'password_reset'
  | 'invitation'
  | 'session_invitation'
  | 'session_changed'
  | 'session_cancelled'
  | 'session_promoted'
  | 'session_removed'
  | 'reaction_survey'
  | 'session_reminder'
  | 'absence_warning'
  | 'absence_warning_manager'
  | 'course_due'
  | 'briefing_published'
  | 'briefing_changed'
  | 'follow_up_due'
  | 'follow_up_overdue'
  | 'follow_up_prepare'
  | 'prep_sheet_shared'
  | 'session_assigned'
  | 'roleplay_study_reminder'
  | 'roleplay_assigned'

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
  // A kind may replace the "ignore this email" line (an invitation to a class is not something to ignore).
  const footer = hasMessage(`email.${kind}.footer`) ? t(`email.${kind}.footer`, vars) : t('email.ignore')
  const text = [greeting, '', body, vars.link, '', footer, '', t('email.signature')].join('\n')
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">
<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body).replace(/\n/g, '<br>')}</p>
<p><a href="${escapeHtml(vars.link)}" style="display:inline-block;background:#0f766e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="font-size:13px;color:#4b5563">${escapeHtml(vars.link)}</p>
<p style="font-size:13px;color:#4b5563">${escapeHtml(footer)}</p><p>${escapeHtml(t('email.signature'))}</p></body></html>`
  return { subject, text, html }
}

/**
 * Queues an email in the recipient's language. Without SMTP_URL it stays in the outbox
 * (readable by HR admins); with it, the delivery loop sends it after the transaction commits.
 */
export async function sendTemplatedEmail(input: TemplatedEmail, executor: Executor = db) {
  const [id] = await sendTemplatedEmails([input], executor)
  return id
}

export type TemplatedEmail = {
  to: Recipient
  kind: EmailKind
  vars: Record<string, string | number> & { name: string; link: string }
  attachments?: Attachment[]
}

/** The language an email to this person is written in. */
export function recipientLocale(to: Pick<Recipient, 'locale'>): Locale {
  return isLocale(to.locale) ? to.locale : defaultLocale
}

/** Queues many emails with one insert per few hundred (a whole audience invited at once). */
export async function sendTemplatedEmails(inputs: TemplatedEmail[], executor: Executor = db) {
  const status = env().SMTP_URL ? ('queued' as const) : ('outbox' as const)
  const ids: string[] = []
  for (let i = 0; i < inputs.length; i += 200) {
    const rows = inputs.slice(i, i + 200).map((input) => {
      const locale = recipientLocale(input.to)
      return {
        toAddress: input.to.email,
        toUserId: input.to.id ?? null,
        locale,
        kind: input.kind,
        ...renderEmail(input.kind, locale, input.vars),
        attachments: input.attachments ?? null,
        status,
      }
    })
    const inserted = await executor.insert(emails).values(rows).returning({ id: emails.id })
    ids.push(...inserted.map((r) => r.id))
  }
  return ids
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
  const claimed = parseRows(
    z.object({ id: column.text }),
    await db.execute(
      sql`update ${emails} set status = 'sent', sent_at = now() where id in (select id from ${emails} where status = 'queued' order by created_at limit ${limit} for update skip locked) returning id`,
    ),
  )
  if (claimed.length === 0) return 0
  const rows = await db
    .select()
    .from(emails)
    .where(
      inArray(
        emails.id,
        claimed.map((c) => c.id),
      ),
    )
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
