import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import {
  attendance,
  courseModules,
  courses,
  departments,
  enrolments,
  invitations,
  jobs,
  kpiPreviews,
  kpiSnapshotRows,
  kpiSnapshots,
  moduleProgress,
  sessions,
  users,
  videoProgress,
  videos,
} from '#db/schema'
import { markAttendance } from '~/modules/attendance/attendance.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { useJobRunner } from '~/modules/jobs/jobs.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { savedPeriod, setHistory } from '../../../tests/setup/kpi'
import { apiPeriods, createToken } from './api.server'
import { listRevisions, periodStatus, publishPeriod, snapshotOf } from './periods.server'
import {
  KPI_PREVIEW_JOB,
  KPI_PREVIEW_READ_MARK_MS,
  KPI_PREVIEW_RETENTION_MS,
  previewState,
  refreshGapMs,
  refreshJob,
  refreshPreviews,
  registerKpiJobs,
} from './preview.server'
import { rollup, scorecard, trend } from './reports.server'

/*
 * The maintained preview (docs/decisions/067): a writer's change makes it dirty and the refresh
 * shows the new figure; a change committed while a refresh runs leaves it dirty; a session
 * starting after the refresh makes it stale; readers of published figures never see it.
 * Pages read with `stale: 'serve'` (what is there, marked updating); module calls refresh first.
 */
let hr: CurrentUser
let dept: string
let seq = 0

async function department(name: string) {
  const [row] = await db.insert(departments).values({ name, path: name, parentId: null }).returning()
  return row.id
}

async function manager(departmentId = dept) {
  const m = await createPerson({ roles: ['manager'], departmentId })
  await setHistory(m.id, [{ departmentId, isManager: true, from: '2026-01-01T00:00:00Z' }])
  return m
}

async function session(startsAt: string, people: CurrentUser[], status?: 'present' | 'absent') {
  const at = new Date(startsAt)
  const [s] = await db
    .insert(sessions)
    .values({ title: `Preview session ${++seq}`, startsAt: at, endsAt: new Date(at.getTime() + 7_200_000) })
    .returning()
  for (const p of people) {
    await db.insert(invitations).values({ sessionId: s.id, userId: p.id, status: 'accepted' })
    if (status) await db.insert(attendance).values({ sessionId: s.id, userId: p.id, status, method: 'trainer' })
  }
  return s.id
}

const serve = (now: Date) => ({ now, stale: 'serve' as const })
const scoreIn = async (periodId: string, m: CurrentUser, now: Date) => (await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(now))).row.score

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  dept = await department('Preview')
})

describe('KPI maintained preview', () => {
  it('a writer’s change (attendance mark, course completion, an org change) makes it dirty; the refresh shows the new figure', async () => {
    const m = await manager()
    await session('2030-01-10T01:00:00Z', [m], 'present')
    const s2 = await session('2030-01-20T01:00:00Z', [m])
    const periodId = await savedPeriod(hr, { key: '2030-Q1', startsOn: '2030-01-01', endsOn: '2030-03-31', weights: { attendance: 50, completion: 50 } })
    const now = new Date('2030-04-05T04:00:00Z')
    await refreshPreviews({ now })
    // s2 unmarked: not counted, blocks publication; no course yet → attendance alone 100.
    expect(await scoreIn(periodId, m, now)).toBe(100)
    expect((await periodStatus(hr, periodId, serve(now))).blockers.map((b) => b.sessionId)).toEqual([s2])

    // Attendance marked through the app: dirty, served as it was (marked updating), then refreshed.
    expect((await markAttendance(hr, s2, m.id, 'absent', { now })).ok).toBe(true)
    const stale = await rollup(hr, periodId, { source: 'preview' }, serve(now))
    expect(stale.source).toMatchObject({ kind: 'live', updating: true })
    expect(stale.managers.find((r) => r.managerId === m.id)?.score).toBe(100)
    expect((await periodStatus(hr, periodId, serve(now))).updating).toBe(true)
    await refreshPreviews({ now })
    const fresh = await rollup(hr, periodId, { source: 'preview' }, serve(now))
    expect(fresh.source).toMatchObject({ kind: 'live', updating: false })
    // (1 + 0) / 2 → 50.0
    expect(fresh.managers.find((r) => r.managerId === m.id)?.score).toBe(50)
    expect(await periodStatus(hr, periodId, serve(now))).toMatchObject({ blockers: [], updating: false })

    // A course completed on time (a direct write: the trigger catches every write path).
    const [c] = await db
      .insert(courses)
      .values({
        contentId: 'preview-course',
        audience: 'managers',
        title: { en: 'C', 'zh-CN': 'C' },
        description: { en: '', 'zh-CN': '' },
        estimatedMinutes: 5,
      })
      .returning()
    await refreshPreviews({ now })
    await db.insert(enrolments).values({ courseId: c.id, userId: m.id, dueAt: new Date('2030-02-28T00:00:00Z') })
    await refreshPreviews({ now })
    // Not done past its due date: 0 → (50 × 0.5 + 50 × 0) / 100 = 25.0
    expect(await scoreIn(periodId, m, now)).toBe(25)
    await db
      .update(enrolments)
      .set({ completedAt: new Date('2030-02-01T00:00:00Z') })
      .where(eq(enrolments.userId, m.id))
    expect((await previewState(periodId, now))?.fresh).toBe(false)
    await refreshPreviews({ now })
    // On time: (50 × 0.5 + 50 × 1) / 100 = 75.0
    expect(await scoreIn(periodId, m, now)).toBe(75)

    // An org change: the manager moves department (users → org_history triggers).
    const other = await department('Preview-moved')
    await db.update(users).set({ departmentId: other }).where(eq(users.id, m.id))
    expect((await previewState(periodId, now))?.fresh).toBe(false)
    await refreshPreviews({ now })
    const moved = await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(now))
    expect(moved.row.departmentPath).toBe('Preview-moved')
    expect(moved.source).toMatchObject({ kind: 'live', updating: false })
  })

  it('a session starting after the refresh makes the preview stale from that instant', async () => {
    const m = await manager()
    const startsAt = '2031-02-10T01:00:00Z'
    await session('2031-01-10T01:00:00Z', [m], 'present')
    const later = await session(startsAt, [m], 'absent')
    const periodId = await savedPeriod(hr, { key: '2031-Q1', startsOn: '2031-01-01', endsOn: '2031-03-31', weights: { attendance: 100 } })
    const before = new Date('2031-02-01T00:00:00Z')
    await refreshPreviews({ now: before })
    const state = await previewState(periodId, before)
    expect(state?.staleAt?.toISOString()).toBe(new Date(startsAt).toISOString())
    expect(state?.fresh).toBe(true)
    expect(await scoreIn(periodId, m, before)).toBe(100)
    // Nothing changed in the data, but the session has started: stale, served as it was.
    const after = new Date('2031-02-10T02:00:00Z')
    expect((await previewState(periodId, after))?.fresh).toBe(false)
    const served = await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(after))
    expect(served.source).toMatchObject({ updating: true })
    expect(served.row.score).toBe(100)
    // A module call refreshes first: the absence counts, (1 + 0) / 2 → 50.0.
    const card = await scorecard(hr, periodId, m.id, { source: 'preview' }, { now: after })
    expect(card.row.score).toBe(50)
    expect(card.evidence.map((e) => e.ref)).toContain(later)
    expect(card.source).toMatchObject({ kind: 'live', updating: false })
  })

  it.skipIf(!process.env.TEST_DATABASE_URL)('a change committed while a refresh runs leaves the preview dirty (PostgreSQL: two connections)', async () => {
    const m = await manager()
    const s = await session('2032-01-10T01:00:00Z', [m], 'present')
    const s2 = await session('2032-01-20T01:00:00Z', [m])
    const periodId = await savedPeriod(hr, { key: '2032-Q1', startsOn: '2032-01-01', endsOn: '2032-03-31', weights: { attendance: 100 } })
    const now = new Date('2032-04-05T04:00:00Z')
    await refreshPreviews({ now })
    expect(s).toBeTruthy()
    // The refresh has taken its snapshot and written the previews; before it commits, a writer
    // on another connection marks s2 and commits.
    await refreshPreviews({
      now,
      beforeCommit: async () => {
        await db.insert(attendance).values({ sessionId: s2, userId: m.id, status: 'absent', method: 'trainer' })
      },
    })
    // The refresh did not see the mark, nor delete its change row: still dirty, old figure.
    const state = await previewState(periodId, now)
    expect(state?.fresh).toBe(false)
    expect(await scoreIn(periodId, m, now)).toBe(100)
    const [{ changes }] = parseRows(
      z.object({ changes: column.number }),
      await db.execute(sql`select count(*)::int as changes from kpi_input_changes where table_name = 'attendance'`),
    )
    expect(changes).toBeGreaterThan(0)
    await refreshPreviews({ now })
    expect((await previewState(periodId, now))?.fresh).toBe(true)
    expect(await scoreIn(periodId, m, now)).toBe(50)
  })

  it('readers of published figures ignore previews: revisions, latest snapshot, trend, API, publication', async () => {
    const own = await department('Preview-published')
    const m = await manager(own)
    await session('2033-01-10T01:00:00Z', [m], 'present')
    const periodId = await savedPeriod(hr, { key: '2033-Q1', startsOn: '2033-01-01', endsOn: '2033-03-31', weights: { attendance: 100 } })
    const now = new Date('2033-04-05T04:00:00Z')
    await refreshPreviews({ now })
    const previews = await db.select().from(kpiSnapshots).where(eq(kpiSnapshots.periodId, periodId))
    expect(previews.map((p) => [p.kind, p.revision])).toEqual([['preview', 0]])
    expect(await listRevisions(periodId)).toEqual([])
    expect(await snapshotOf(periodId)).toBeNull()
    expect((await trend(hr, { departmentPath: 'Preview-published' })).map((t) => t.period)).not.toContain('2033-Q1')
    // Publishing: revision 1 from live data, beside the preview.
    expect(await publishPeriod(hr, periodId, {}, { now })).toEqual({ ok: true, revision: 1 })
    expect((await listRevisions(periodId)).map((r) => r.revision)).toEqual([1])
    expect((await snapshotOf(periodId))?.kind).toBe('published')
    expect(await trend(hr, { departmentPath: 'Preview-published' })).toEqual([{ period: '2033-Q1', average: 100, managers: 1 }])
    // HR opens the preview of the published period: kept beside, still not a revision.
    const preview = await rollup(hr, periodId, { source: 'preview' }, { now })
    expect(preview.source?.kind).toBe('live')
    expect(preview.revisions.map((r) => r.revision)).toEqual([1])
    const card = await scorecard(hr, periodId, m.id, {}, { now })
    expect(card.source).toMatchObject({ kind: 'snapshot', revision: 1 })
    expect(card.revisions.map((r) => r.revision)).toEqual([1])
    expect(await publishPeriod(hr, periodId, { reason: 'correction' }, { now })).toEqual({ ok: true, revision: 2 })
    expect((await listRevisions(periodId)).map((r) => r.revision)).toEqual([2, 1])
    // The API's period list: the latest published revision.
    const { token } = await createToken(hr, { name: 'preview-test' })
    const response = await apiPeriods(new Request('http://localhost/api/v1/kpi/periods', { headers: { Authorization: `Bearer ${token}` } }))
    const body = (await response.json()) as { periods: { key: string; revision: number }[] }
    expect(body.periods.find((p) => p.key === '2033-Q1')?.revision).toBe(2)
  })
})

/** How many change rows wait (0: nothing has made the previews dirty since the last refresh). */
async function changes() {
  const [{ n }] = parseRows(z.object({ n: column.number }), await db.execute(sql`select count(*)::int as n from kpi_input_changes`))
  return n
}
const at = (base: Date, ms: number) => new Date(base.getTime() + ms)

describe('KPI maintained preview under busy writers (docs/decisions/070)', () => {
  it('a video position, a lesson position or a sign-in does not make it dirty; a completion or a name change does', async () => {
    const m = await manager()
    await session('2034-01-10T01:00:00Z', [m], 'present')
    const periodId = await savedPeriod(hr, { key: '2034-Q1', startsOn: '2034-01-01', endsOn: '2034-03-31', weights: { attendance: 100 } })
    const title = { en: 'Churn', 'zh-CN': 'Churn' }
    await db.insert(videos).values({ id: 'preview-churn-video', kind: 'lecture', title, description: title, origin: 'upload', provider: 'local' })
    const [c] = await db
      .insert(courses)
      .values({ contentId: 'preview-churn-course', audience: 'managers', title, description: title, estimatedMinutes: 5 })
      .returning()
    const [lesson] = await db
      .insert(courseModules)
      .values({ courseId: c.id, contentId: 'lesson', position: 1, kind: 'lesson', title, estimatedMinutes: 5 })
      .returning()
    const [e] = await db.insert(enrolments).values({ courseId: c.id, userId: m.id }).returning()
    const now = new Date('2034-04-05T04:00:00Z')
    const refreshed = async () => {
      await refreshPreviews({ now })
      expect(await changes()).toBe(0)
      expect((await previewState(periodId, now))?.fresh).toBe(true)
    }
    const video = and(eq(videoProgress.userId, m.id), eq(videoProgress.videoId, 'preview-churn-video'))

    // Playback starts (a row without completion), the position moves, a repeated start inserts nothing.
    await refreshed()
    await db.insert(videoProgress).values({ userId: m.id, videoId: 'preview-churn-video', playbackStartedAt: now })
    await db
      .update(videoProgress)
      .set({ lastPositionSeconds: 42, creditedSeconds: 40, watchedRanges: [[0, 40]], updatedAt: now })
      .where(video)
    await db.insert(videoProgress).values({ userId: m.id, videoId: 'preview-churn-video' }).onConflictDoNothing()
    // A lesson opened, read further; the upsert the course player runs (completion kept as it is).
    await db.insert(moduleProgress).values({ enrolmentId: e.id, userId: m.id, moduleId: lesson.id, lastPosition: 10 })
    await db
      .insert(moduleProgress)
      .values({ enrolmentId: e.id, userId: m.id, moduleId: lesson.id, lastPosition: 60 })
      .onConflictDoUpdate({
        target: [moduleProgress.userId, moduleProgress.moduleId],
        set: { lastViewedAt: now, lastPosition: 60, completedAt: sql`coalesce(${moduleProgress.completedAt}, excluded.completed_at)` },
      })
    // A sign-in clearing a lock, a language change.
    await db.update(users).set({ lockedUntil: null, locale: 'zh-CN', updatedAt: now }).where(eq(users.id, m.id))
    expect(await changes()).toBe(0)
    expect((await previewState(periodId, now))?.fresh).toBe(true)

    // The video completed: dirty.
    await db.update(videoProgress).set({ completedAt: now }).where(video)
    expect((await previewState(periodId, now))?.fresh).toBe(false)
    await refreshed()
    // The lesson completed: dirty.
    await db.update(moduleProgress).set({ status: 'completed', completedAt: now }).where(eq(moduleProgress.moduleId, lesson.id))
    expect((await previewState(periodId, now))?.fresh).toBe(false)
    await refreshed()
    // The manager's name (on the scorecard): dirty.
    await db.update(users).set({ name: 'Renamed manager' }).where(eq(users.id, m.id))
    expect((await previewState(periodId, now))?.fresh).toBe(false)
    await refreshed()
    expect((await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(now))).row.name).toBe('Renamed manager')
  })

  it('the refresh job waits the minimum gap after a refresh; the job a page enqueues starts after it and makes the preview current', async () => {
    const m = await manager()
    await session('2035-01-10T01:00:00Z', [m], 'present')
    const s2 = await session('2035-01-20T01:00:00Z', [m])
    const periodId = await savedPeriod(hr, { key: '2035-Q1', startsOn: '2035-01-01', endsOn: '2035-03-31', weights: { attendance: 100 } })
    registerKpiJobs()
    const runner = new InProcessRunner()
    useJobRunner(runner)
    // Only this test's jobs (the runner runs every due one).
    await db.delete(jobs)
    try {
      const t0 = new Date('2035-04-05T04:00:00Z')
      await refreshPreviews({ now: t0 })
      const { tookMs } = (await previewState(periodId, t0))!
      // The earliest start: the refresh's end (t0 + took_ms) plus max(2 s, 5 × took_ms).
      const next = at(t0, tookMs + refreshGapMs(tookMs))
      expect(refreshGapMs(tookMs)).toBe(Math.max(2_000, 5 * tookMs))

      await db.insert(attendance).values({ sessionId: s2, userId: m.id, status: 'absent', method: 'trainer' })
      const soon = at(t0, 1_000)
      expect(await refreshJob(soon)).toBe('deferred')
      expect((await previewState(periodId, soon))?.fresh).toBe(false)

      // A page (stale: 'serve') shows the old figure, marked updating, and enqueues the refresh for `next`.
      const served = await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(soon))
      expect(served.source).toMatchObject({ kind: 'live', updating: true })
      expect(served.row.score).toBe(100)
      const [job] = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, KPI_PREVIEW_JOB), eq(jobs.state, 'created')))
      expect(job.startAfter.toISOString()).toBe(next.toISOString())
      expect(await runner.runDue({ now: at(next, -1) })).toEqual({ completed: 0, failed: 0 })
      expect((await previewState(periodId, at(next, -1)))?.fresh).toBe(false)

      expect(await runner.runDue({ now: next })).toEqual({ completed: 1, failed: 0 })
      const after = await scorecard(hr, periodId, m.id, { source: 'preview' }, serve(next))
      expect(after.source).toMatchObject({ kind: 'live', updating: false })
      // (1 + 0) / 2 → 50.0
      expect(after.row.score).toBe(50)
      // Nothing changed since: the next run has nothing to do, gap or not.
      expect(await refreshJob(at(next, 1_000))).toBe('idle')
    } finally {
      useJobRunner(undefined)
    }
  })

  it('a module call refreshes at once, gap or not (exact figures)', async () => {
    const m = await manager()
    const s = await session('2036-01-10T01:00:00Z', [m])
    const periodId = await savedPeriod(hr, { key: '2036-Q1', startsOn: '2036-01-01', endsOn: '2036-03-31', weights: { attendance: 100 } })
    const t0 = new Date('2036-04-05T04:00:00Z')
    await refreshPreviews({ now: t0 })
    await db.insert(attendance).values({ sessionId: s, userId: m.id, status: 'present', method: 'trainer' })
    const soon = at(t0, 1_000)
    expect(await refreshJob(soon)).toBe('deferred')
    const card = await scorecard(hr, periodId, m.id, { source: 'preview' }, { now: soon })
    expect(card.source).toMatchObject({ kind: 'live', updating: false })
    expect(card.row.score).toBe(100)
  })

  it('a published period’s preview not read for a day is dropped by the refresh, and computed again on the next read', async () => {
    const own = await department('Preview-retention')
    const m = await manager(own)
    await session('2037-01-10T01:00:00Z', [m], 'present')
    const periodId = await savedPeriod(hr, { key: '2037-Q1', startsOn: '2037-01-01', endsOn: '2037-03-31', weights: { attendance: 100 } })
    const draftId = await savedPeriod(hr, { key: '2037-Q2', startsOn: '2037-04-01', endsOn: '2037-06-30', weights: { attendance: 100 } })
    const t0 = new Date('2037-04-05T04:00:00Z')
    expect(await publishPeriod(hr, periodId, {}, { now: t0 })).toEqual({ ok: true, revision: 1 })
    // HR opens the published period's preview: computed and maintained from then on.
    expect((await rollup(hr, periodId, { source: 'preview' }, { now: t0 })).source?.kind).toBe('live')
    const preview = (await previewState(periodId, t0))!
    expect(preview.readAt?.toISOString()).toBe(t0.toISOString())

    // Read again within the mark interval: not written; read 12 h later: recorded.
    await rollup(hr, periodId, { source: 'preview' }, serve(at(t0, KPI_PREVIEW_READ_MARK_MS - 1)))
    expect((await previewState(periodId, t0))?.readAt?.toISOString()).toBe(t0.toISOString())
    const t12h = at(t0, 12 * 3_600_000)
    await rollup(hr, periodId, { source: 'preview' }, serve(t12h))
    expect((await previewState(periodId, t12h))?.readAt?.toISOString()).toBe(t12h.toISOString())

    // A day after the first read (not after the last one): kept.
    const day = at(t0, KPI_PREVIEW_RETENTION_MS + 60_000)
    expect((await refreshPreviews({ now: day })).dropped).not.toContain('2037-Q1')
    expect(await previewState(periodId, day)).not.toBeNull()

    // A day after the last read, nothing else changed: the periodic job refreshes to drop it, with
    // its snapshot and rows; the draft's preview stays.
    const later = at(t12h, KPI_PREVIEW_RETENTION_MS + 60_000)
    expect(await changes()).toBe(0)
    expect(await refreshJob(later)).toBe('refreshed')
    expect(await db.select().from(kpiPreviews).where(eq(kpiPreviews.periodId, periodId))).toEqual([])
    expect(await db.select().from(kpiSnapshotRows).where(eq(kpiSnapshotRows.snapshotId, preview.snapshotId))).toEqual([])
    const kinds = await db.select({ kind: kpiSnapshots.kind, revision: kpiSnapshots.revision }).from(kpiSnapshots).where(eq(kpiSnapshots.periodId, periodId))
    expect(kinds).toEqual([{ kind: 'published', revision: 1 }])
    expect(await previewState(draftId, later)).not.toBeNull()
    // The published figures are untouched.
    expect((await scorecard(hr, periodId, m.id, {}, { now: later })).source).toMatchObject({ kind: 'snapshot', revision: 1 })

    // The next read of its preview (a page) computes it again, in the request.
    const again = await rollup(hr, periodId, { source: 'preview' }, serve(later))
    expect(again.source).toMatchObject({ kind: 'live', updating: false })
    expect(again.managers.find((r) => r.managerId === m.id)?.score).toBe(100)
    expect((await previewState(periodId, later))?.readAt?.toISOString()).toBe(later.toISOString())
  })

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'a read recorded while a refresh runs neither waits for it nor makes it retry (PostgreSQL: two connections)',
    async () => {
      const m = await manager()
      await session('2038-01-10T01:00:00Z', [m], 'present')
      const periodId = await savedPeriod(hr, { key: '2038-Q1', startsOn: '2038-01-01', endsOn: '2038-03-31', weights: { attendance: 100 } })
      const t0 = new Date('2038-04-05T04:00:00Z')
      await rollup(hr, periodId, { source: 'preview' }, serve(t0))
      const later = at(t0, KPI_PREVIEW_READ_MARK_MS + 1)
      let calls = 0
      // The refresh has rewritten every kpi_previews row (and holds their locks) when HR's page reads.
      await refreshPreviews({
        now: t0,
        beforeCommit: async () => {
          calls++
          await rollup(hr, periodId, { source: 'preview' }, serve(later))
        },
      })
      expect(calls).toBe(1)
      expect((await previewState(periodId, later))?.readAt?.toISOString()).toBe(later.toISOString())
    },
  )
})
