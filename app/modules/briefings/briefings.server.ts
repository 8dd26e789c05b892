import { and, asc, desc, eq, gt, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import {
  briefingAcknowledgements,
  briefings,
  departments,
  invitations,
  sessions,
  sessionTrainers,
  userRoles,
  users,
  type Briefing,
  type Session,
} from '#db/schema'
import { publicOrigin } from '~/env.server'
import { translator, type Locale } from '~/i18n'
import { audit } from '~/modules/audit/audit.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { renderMarkdown } from '~/shared/markdown.server'
import { recipientLocale, sendTemplatedEmails, type TemplatedEmail } from '~/modules/mail/email.server'
import { loadSession, trainerRoleOf } from '~/modules/sessions/access.server'
import { sessionHeading } from '~/modules/sessions/sessions'
import { formatSessionTime } from '~/shared/time'
import { briefingPath } from './acknowledgement.server'
import { contentFields, markdownFields, type BriefingContent, type BriefingInput } from './briefings'

type Options = { origin?: string }
const originOf = (options: Options) => (options.origin ?? publicOrigin()).replace(/\/$/, '')

async function briefingOf(executor: Executor, sessionId: string, lock = false) {
  const query = executor.select().from(briefings).where(eq(briefings.sessionId, sessionId))
  const [row] = lock ? await query.for('update') : await query
  return row ?? null
}

/**
 * Who may read a session's pack: HR always (drafts too); the session's own trainers and
 * lecturers once it is published. Everyone else is refused (403, audited).
 */
async function requireReader(actor: CurrentUser, sessionId: string) {
  const session = await loadSession(db, sessionId)
  if (can(actor, 'manage:briefings:all')) return { session, editor: true, teachingRole: await trainerRoleOf(db, sessionId, actor.id) }
  const teachingRole = can(actor, 'read:briefings:own-session') ? await trainerRoleOf(db, sessionId, actor.id) : null
  if (!teachingRole) await deny(actor, 'read:briefings:own-session', { sessionId })
  return { session, editor: false, teachingRole }
}

/* ------------------------------------------------------------ the audience */

const AudienceRow = z.object({ kind: z.enum(['dept', 'level', 'expected']), label: column.text, n: column.number })

/**
 * The audience as the session's invitations show it now (everyone not declined), in the pack's
 * language: departments with head counts, levels (managers / others), and how many are expected.
 */
export async function audienceSummary(executor: Executor, sessionId: string, language: Locale) {
  const t = translator(language)
  const result = await executor.execute(sql`
    with people as (
      select u.id, d.path,
        exists (select 1 from ${userRoles} r where r.user_id = u.id and r.role = 'manager') as is_manager,
        i.status
      from ${invitations} i
      join ${users} u on u.id = i.user_id
      left join ${departments} d on d.id = u.department_id
      where i.session_id = ${sessionId} and i.status <> 'declined'
    )
    select 'dept' as kind, coalesce(path, '') as label, count(*)::int as n from people group by path
    union all
    select 'level', case when is_manager then 'manager' else 'other' end, count(*)::int from people group by is_manager
    union all
    select 'expected', '', count(*)::int from people where status in ('invited', 'accepted')`)
  const rows = parseRows(AudienceRow, result)
  const depts = rows.filter((r) => r.kind === 'dept').sort((a, b) => b.n - a.n || a.label.localeCompare(b.label))
  const level = (label: string) => rows.find((r) => r.kind === 'level' && r.label === label)?.n ?? 0
  const levels = [
    level('manager') ? t('briefings.prefill.managers', { n: level('manager') }) : null,
    level('other') ? t('briefings.prefill.others', { n: level('other') }) : null,
  ].filter(Boolean)
  return {
    departments: depts.map((d) => `${d.label || t('briefings.prefill.noDepartment')} (${d.n})`).join('\n'),
    levels: levels.join(t('briefings.prefill.separator')),
    headCount: rows.find((r) => r.kind === 'expected')?.n ?? 0,
  }
}

async function lecturersOf(executor: Executor, sessionId: string) {
  return executor
    .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(sessionTrainers)
    .innerJoin(users, eq(users.id, sessionTrainers.userId))
    .where(and(eq(sessionTrainers.sessionId, sessionId), eq(sessionTrainers.role, 'lecturer')))
    .orderBy(asc(users.name))
}

/* --------------------------------------------------------------- HR writes */

/**
 * The pack for HR's form: the saved one, or a new one prefilled with the audience from the
 * invitations, in the lecturer's language (else HR's). `audienceNow` lets HR refresh it later.
 */
export async function getBriefingForEditing(actor: CurrentUser, sessionId: string) {
  await assertCan(actor, 'manage:briefings:all', { sessionId })
  const session = await loadSession(db, sessionId)
  const [briefing, lecturers] = await Promise.all([briefingOf(db, sessionId), lecturersOf(db, sessionId)])
  const language: Locale = briefing?.language ?? (lecturers.find((l) => l.locale)?.locale as Locale | undefined) ?? actor.locale ?? 'zh-CN'
  const audienceNow = await audienceSummary(db, sessionId, language)
  const defaults: BriefingContent = briefing
    ? (Object.fromEntries(contentFields.map((f) => [f, briefing[f] ?? undefined])) as BriefingContent)
    : {
        language,
        companyBackground: '',
        audienceDepartments: audienceNow.departments,
        audienceLevels: audienceNow.levels,
        // Nobody invited yet is no head count: left empty rather than a misleading 0.
        headCount: audienceNow.headCount || undefined,
        audienceNotes: '',
        followUpProblems: '',
        cases: '',
        dosAndDonts: '',
        equipment: '',
        contact: `${actor.name} <${actor.email}>`,
        logisticsNotes: '',
      }
  return { session, briefing, defaults, audienceNow, lecturers }
}

function sameContent(before: Briefing, input: BriefingContent) {
  return contentFields.every((f) => (before[f] ?? null) === (input[f] ?? null))
}

/**
 * HR saves the pack. A draft stays a draft until published; publishing, and every change to a
 * published pack, makes a new version that each lecturer of the session must acknowledge again
 * (they are emailed). Saving a published pack unchanged does nothing.
 */
export async function saveBriefing(actor: CurrentUser, sessionId: string, input: BriefingInput, options: Options = {}) {
  await assertCan(actor, 'manage:briefings:all', { sessionId })
  return db.transaction(async (tx) => {
    // The session row lock serialises two HR editors (and the first insert of the pack).
    const session = await loadSession(tx, sessionId, true)
    if (session.status === 'cancelled') return { ok: false as const, error: 'sessions.alreadyCancelled' }
    const { intent, ...content } = input
    const before = await briefingOf(tx, sessionId, true)
    const publish = intent === 'publish' || before?.status === 'published'
    if (before && before.status === 'published' && sameContent(before, content)) {
      return { ok: true as const, status: 'published' as const, version: before.version, notified: 0, changed: false }
    }
    const now = new Date()
    const values = {
      ...content,
      headCount: content.headCount ?? null,
      updatedBy: actor.id,
      updatedAt: now,
      ...(publish ? { status: 'published' as const, version: (before?.version ?? 0) + 1, publishedAt: now } : {}),
    }
    const [after] = before
      ? await tx.update(briefings).set(values).where(eq(briefings.id, before.id)).returning()
      : await tx
          .insert(briefings)
          .values({ ...values, sessionId, createdBy: actor.id })
          .returning()
    let notified = 0
    if (publish) notified = await emailLecturers(tx, actor, session, after, before?.status === 'published' ? 'briefing_changed' : 'briefing_published', options)
    await audit(
      {
        actorId: actor.id,
        action: publish ? 'briefing.published' : 'briefing.saved',
        entityType: 'session',
        entityId: sessionId,
        before: before ? { status: before.status, version: before.version } : null,
        after: { status: after.status, version: after.version },
      },
      tx,
    )
    return { ok: true as const, status: after.status, version: after.version, notified, changed: true }
  })
}

async function emailLecturers(
  tx: Executor,
  actor: CurrentUser,
  session: Session,
  briefing: Briefing,
  kind: 'briefing_published' | 'briefing_changed',
  options: Options,
) {
  const lecturers = await lecturersOf(tx, session.id)
  const link = `${originOf(options)}${briefingPath(session.id)}`
  const mails: TemplatedEmail[] = lecturers.map((l) => {
    const locale = recipientLocale(l)
    return {
      to: { id: l.userId, email: l.email, name: l.name, locale: l.locale },
      kind,
      vars: {
        name: l.name,
        title: session.title,
        when: formatSessionTime(locale, session.startsAt, session.endsAt, session.timeZone),
        link,
        version: briefing.version,
        inviter: actor.name,
        language: translator(locale)(`briefings.language.${briefing.language}`),
      },
    }
  })
  if (mails.length) await sendTemplatedEmails(mails, tx)
  return mails.length
}

/* ----------------------------------------------------------------- reading */

/**
 * The pack as its readers see it, Markdown rendered safely on the server (raw HTML escaped,
 * only http(s)/mailto links). Lecturers and trainers of the session see only a published pack;
 * HR sees drafts too. Includes the reader's own acknowledgement.
 */
export async function getBriefing(actor: CurrentUser, sessionId: string) {
  const { session, editor, teachingRole } = await requireReader(actor, sessionId)
  const briefing = await briefingOf(db, sessionId)
  if (!briefing || (!editor && briefing.status !== 'published')) throw new Response('Not found', { status: 404 })
  const [mine] = await db
    .select({ version: briefingAcknowledgements.version, at: briefingAcknowledgements.acknowledgedAt })
    .from(briefingAcknowledgements)
    .where(and(eq(briefingAcknowledgements.briefingId, briefing.id), eq(briefingAcknowledgements.userId, actor.id)))
    .orderBy(desc(briefingAcknowledgements.version))
    .limit(1)
  const html = Object.fromEntries(markdownFields.map((f) => [f, renderMarkdown(briefing[f])])) as Record<(typeof markdownFields)[number], string>
  const acknowledged = mine ? { version: mine.version, at: mine.at } : null
  return {
    session: { ...sessionHeading(session), onlineUrl: session.onlineUrl },
    briefing: {
      language: briefing.language,
      status: briefing.status,
      version: briefing.version,
      publishedAt: briefing.publishedAt,
      audienceDepartments: briefing.audienceDepartments,
      audienceLevels: briefing.audienceLevels,
      headCount: briefing.headCount,
      contact: briefing.contact,
    },
    html,
    acknowledged,
    // Anyone teaching the session acknowledges; only lecturers are held until they do.
    mustAcknowledge: Boolean(teachingRole) && briefing.status === 'published' && acknowledged?.version !== briefing.version,
    changedSinceAcknowledged: Boolean(acknowledged && acknowledged.version !== briefing.version),
    canEdit: editor,
  }
}

/** "I have read this briefing" for the version the reader saw; acknowledging an outdated version does nothing. */
export async function acknowledgeBriefing(actor: CurrentUser, sessionId: string, version: number) {
  const { teachingRole } = await requireReader(actor, sessionId)
  if (!teachingRole) await deny(actor, 'read:briefings:own-session', { sessionId, acknowledge: true })
  return db.transaction(async (tx) => {
    const briefing = await briefingOf(tx, sessionId)
    if (!briefing || briefing.status !== 'published') throw new Response('Not found', { status: 404 })
    if (briefing.version !== version) return { ok: false as const, error: 'briefings.changedMeanwhile' }
    const inserted = await tx
      .insert(briefingAcknowledgements)
      .values({ briefingId: briefing.id, userId: actor.id, version })
      .onConflictDoNothing()
      .returning({ at: briefingAcknowledgements.acknowledgedAt })
    if (inserted.length) {
      await audit({ actorId: actor.id, action: 'briefing.acknowledged', entityType: 'session', entityId: sessionId, details: { version } }, tx)
    }
    return { ok: true as const }
  })
}

/**
 * The pack's state for the session page: status and version, and for each lecturer of the
 * session whether and when they acknowledged which version. Null for someone who may not read
 * the pack (a trainer who does not teach this session): the page just leaves it out.
 */
export async function briefingOverview(actor: CurrentUser, sessionId: string) {
  const editor = can(actor, 'manage:briefings:all')
  if (!editor && !(can(actor, 'read:briefings:own-session') && (await trainerRoleOf(db, sessionId, actor.id)))) return null
  const briefing = await briefingOf(db, sessionId)
  if (!editor && briefing?.status !== 'published') return null
  const latestAck = sql<
    number | null
  >`(select max(a.version) from ${briefingAcknowledgements} a where a.briefing_id = ${briefing?.id ?? null}::uuid and a.user_id = ${users.id})`
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      accessEndsAt: users.accessEndsAt,
      version: latestAck,
      at: sql<Date | null>`(select max(a.acknowledged_at) from ${briefingAcknowledgements} a where a.briefing_id = ${briefing?.id ?? null}::uuid and a.user_id = ${users.id})`,
    })
    .from(sessionTrainers)
    .innerJoin(users, eq(users.id, sessionTrainers.userId))
    .where(and(eq(sessionTrainers.sessionId, sessionId), eq(sessionTrainers.role, 'lecturer')))
    .orderBy(asc(users.name))
  return {
    canEdit: editor,
    briefing: briefing
      ? { status: briefing.status, version: briefing.version, publishedAt: briefing.publishedAt, updatedAt: briefing.updatedAt, language: briefing.language }
      : null,
    lecturers: rows.map((r) => ({
      ...r,
      version: r.version === null ? null : Number(r.version),
      at: r.at ? new Date(r.at) : null,
      accessEndsAt: editor ? r.accessEndsAt : null,
      current: Boolean(briefing && briefing.status === 'published' && r.version !== null && Number(r.version) === briefing.version),
    })),
  }
}

/** The sessions the actor teaches from today on, with their pack and the actor's acknowledgement (home page). */
export async function listMyBriefings(actor: CurrentUser) {
  if (!can(actor, 'read:briefings:own-session')) return []
  const since = new Date(Date.now() - 86_400_000)
  const rows = await db
    .select({
      sessionId: sessions.id,
      title: sessions.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      timeZone: sessions.timeZone,
      version: briefings.version,
      published: sql<boolean>`${briefings.status} = 'published'`,
      acknowledgedVersion: sql<
        number | null
      >`(select max(a.version) from ${briefingAcknowledgements} a where a.briefing_id = ${briefings.id} and a.user_id = ${actor.id})`,
    })
    .from(sessionTrainers)
    .innerJoin(sessions, eq(sessions.id, sessionTrainers.sessionId))
    .leftJoin(briefings, eq(briefings.sessionId, sessions.id))
    .where(and(eq(sessionTrainers.userId, actor.id), eq(sessions.status, 'scheduled'), gt(sessions.endsAt, since)))
    .orderBy(asc(sessions.startsAt))
    .limit(20)
  return rows.map((r) => {
    const acknowledgedVersion = r.acknowledgedVersion === null ? null : Number(r.acknowledgedVersion)
    const published = Boolean(r.published)
    return { ...r, published, acknowledgedVersion, pending: published && acknowledgedVersion !== r.version }
  })
}
