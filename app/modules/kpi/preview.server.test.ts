import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, courses, departments, enrolments, invitations, kpiSnapshots, sessions, users } from '#db/schema'
import { markAttendance } from '~/modules/attendance/attendance.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from '../../../tests/setup/fixtures'
import { savedPeriod, setHistory } from '../../../tests/setup/kpi'
import { apiPeriods, createToken } from './api.server'
import { listRevisions, periodStatus, publishPeriod, snapshotOf } from './periods.server'
import { previewState, refreshPreviews } from './preview.server'
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
