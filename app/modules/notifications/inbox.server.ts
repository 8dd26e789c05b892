import { and, count, desc, eq, isNull, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { notifications } from '#db/schema'
import { translator, type Locale } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { recipientLocale, sendTemplatedEmails, type Recipient, type TemplatedEmail } from '~/modules/mail/email.server'
import { formatSessionTime } from '~/shared/time'
import { NOTIFICATIONS_PAGE_SIZE, type NotificationKind } from './notifications'

export type NotificationInput = {
  userId: string
  /** One of NotificationKind, or a kind another module adds with its own `notifications.kind.<kind>` message. */
  kind: NotificationKind | (string & {})
  /** Values for the message: strings, numbers, `{ en, 'zh-CN' }` texts, ISO instants named `…At`. */
  params?: Record<string, unknown>
  /** Where a click leads (an app path such as `/my/sessions`). */
  link?: string | null
  /**
   * At most one notification per person and key. Give one whenever a job sends it, and send
   * the matching email only for the rows this returns: a retried job then sends nothing twice.
   */
  dedupeKey?: string | null
}

/**
 * Creates in-app notifications, in the caller's transaction. Returns the rows actually created
 * (those whose dedupe key was not used yet for that person).
 */
export async function notifyMany(executor: Executor, inputs: NotificationInput[]) {
  const created: { id: string; userId: string; dedupeKey: string | null }[] = []
  for (let i = 0; i < inputs.length; i += 500) {
    const rows = await executor
      .insert(notifications)
      .values(
        inputs.slice(i, i + 500).map((n) => ({ userId: n.userId, kind: n.kind, params: n.params ?? {}, link: n.link ?? null, dedupeKey: n.dedupeKey ?? null })),
      )
      .onConflictDoNothing()
      .returning({ id: notifications.id, userId: notifications.userId, dedupeKey: notifications.dedupeKey })
    created.push(...rows)
  }
  return created
}

/**
 * What reminders and notices sent by jobs do: notify everyone, then email only those whose
 * notification is new (its dedupe key was not used yet for that person), in the caller's
 * transaction — so a retried job or a second sweep sends nobody anything twice. `email` is asked
 * only for the fresh ones, with the recipient's language. Returns how many emails were queued.
 */
export async function notifyThenEmail<T>(
  tx: Executor,
  items: T[],
  build: {
    to: (item: T) => Recipient & { id: string }
    notice: (item: T) => Omit<NotificationInput, 'userId'>
    email: (item: T, locale: Locale) => Omit<TemplatedEmail, 'to'>
  },
): Promise<number> {
  const notices = items.map((item) => ({ ...build.notice(item), userId: build.to(item).id }))
  const created = await notifyMany(tx, notices)
  const fresh = new Set(created.map((c) => `${c.userId} ${c.dedupeKey}`))
  const mails = items.flatMap((item, i) => {
    if (!fresh.has(`${notices[i].userId} ${notices[i].dedupeKey ?? null}`)) return []
    const { id, email, name, locale } = build.to(item)
    return [{ to: { id, email, name, locale }, ...build.email(item, recipientLocale({ locale })) }]
  })
  await sendTemplatedEmails(mails, tx)
  return mails.length
}

/** One in-app notification; returns its id, or null when its dedupe key was already used. */
export async function notify(executor: Executor, input: NotificationInput) {
  const [row] = await notifyMany(executor, [input])
  return row?.id ?? null
}

function isLocalized(value: unknown): value is { en: string; 'zh-CN': string } {
  return typeof value === 'object' && value !== null && 'en' in value && 'zh-CN' in value
}

/** The text of a notification in the reader's language. */
export function renderNotification(locale: Locale, kind: string, params: Record<string, unknown>) {
  const t = translator(locale)
  const vars: Record<string, string | number> = {}
  const timeZone = typeof params.timeZone === 'string' ? params.timeZone : 'Asia/Shanghai'
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'number') vars[key] = value
    else if (isLocalized(value)) vars[key] = value[locale] || value.en
    else if (typeof value === 'string' && key.endsWith('At') && !Number.isNaN(Date.parse(value))) {
      vars[key] = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value))
    } else if (typeof value === 'string' && key.endsWith('On') && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      // A calendar day (`dueOn`): the day itself in the reader's language, no time zone involved.
      vars[key] = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`))
    } else if (typeof value === 'string') vars[key] = value
  }
  if (typeof params.startsAt === 'string' && typeof params.endsAt === 'string') {
    vars.when = formatSessionTime(locale, params.startsAt, params.endsAt, timeZone)
  }
  return t(`notifications.kind.${kind}`, vars)
}

/** How many unread notifications the person has (for the bell in the header). */
export async function unreadNotificationCount(userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return Number(row?.n ?? 0)
}

/** The actor's own notifications, newest first, a page at a time, in their language. */
export async function listNotifications(actor: CurrentUser, options: { page?: number; locale: Locale }) {
  const [{ total, unread }] = await db
    .select({ total: count(), unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)::int` })
    .from(notifications)
    .where(eq(notifications.userId, actor.id))
  const pages = Math.max(1, Math.ceil(Number(total) / NOTIFICATIONS_PAGE_SIZE))
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages)
  const rows = await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, actor.id))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset((page - 1) * NOTIFICATIONS_PAGE_SIZE)
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      text: renderNotification(options.locale, r.kind, r.params),
      link: r.link,
      createdAt: r.createdAt,
      read: r.readAt !== null,
    })),
    page,
    pages,
    total: Number(total),
    unread: Number(unread),
  }
}

/** Marks one of the actor's notifications read; someone else's is "not found". Returns its link. */
export async function markNotificationRead(actor: CurrentUser, id: string) {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)))
    .returning({ link: notifications.link })
  if (!row) throw new Response('Not found', { status: 404 })
  return { link: row.link }
}

export async function markAllNotificationsRead(actor: CurrentUser) {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return { marked: rows.length }
}
