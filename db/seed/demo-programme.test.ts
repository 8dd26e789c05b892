import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { importContent } from '~/modules/courses/course-import.server'
import { importSampleVideos } from '~/modules/videos/content.server'
import { seedDemo } from '.'
import { seedDemoProgramme } from './demo-programme'

// The role-play step stores a recording and a reading through the storage module.
process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-seed-'))

async function one<Row extends z.ZodTypeAny>(row: Row, query: ReturnType<typeof sql>) {
  return parseRows(row, await db.execute(query))[0]
}

const Count = z.object({ n: column.number })

describe('demo training programme', () => {
  it('tells the story of a programme in progress, once', async () => {
    await importContent(db, { publishNew: true })
    await importSampleVideos(db)
    await seedDemo(db)
    expect(await seedDemoProgramme(db)).toBe(false)

    const marks = parseRows(z.object({ status: column.text }), await db.execute(sql`select distinct status::text from attendance`)).map((r) => r.status)
    expect(marks.sort()).toEqual(['absent', 'excused', 'late', 'present'])
    const sessionsByTime = await one(
      z.object({ past: column.number, upcoming: column.number, unmarked: column.number }),
      sql`
      select count(*) filter (where ends_at < now())::int as past, count(*) filter (where starts_at > now())::int as upcoming,
        count(*) filter (where ends_at < now() and not exists (select 1 from attendance a where a.session_id = s.id))::int as unmarked
      from sessions s`,
    )
    expect(sessionsByTime.past).toBeGreaterThanOrEqual(2)
    expect(sessionsByTime.upcoming).toBeGreaterThanOrEqual(2)
    expect(sessionsByTime.unmarked).toBe(1)
    expect((await one(Count, sql`select count(*)::int as n from survey_responses`)).n).toBeGreaterThanOrEqual(5)
    expect((await one(Count, sql`select count(*)::int as n from emails where kind = 'absence_warning'`)).n).toBe(1)
    expect((await one(Count, sql`select count(*)::int as n from invitations where status = 'waitlisted'`)).n).toBe(2)
    expect((await one(Count, sql`select count(*)::int as n from invitations where status = 'invited'`)).n).toBeGreaterThan(0)
    expect((await one(Count, sql`select count(*)::int as n from briefings where status = 'published'`)).n).toBe(1)
    expect((await one(Count, sql`select count(*)::int as n from briefing_acknowledgements`)).n).toBe(0)
    expect((await one(Count, sql`select count(*)::int as n from emails where attachments is not null`)).n).toBeGreaterThan(0)
    expect((await one(Count, sql`select count(*)::int as n from audit_events`)).n).toBeGreaterThan(0)
    expect((await one(Count, sql`select count(*)::int as n from prep_sheets where shared_with_manager_at is not null`)).n).toBeGreaterThanOrEqual(5)
    expect((await one(Count, sql`select count(distinct user_id)::int as n from breakpoint_responses`)).n).toBeGreaterThan(0)
    // Deadlines at an hour HR would choose (18:00 in Shanghai), not the moment the seed ran.
    const dueTimes = parseRows(
      z.object({ t: column.text }),
      await db.execute(sql`select distinct to_char(due_at at time zone 'Asia/Shanghai', 'HH24:MI') as t from enrolments where due_at is not null`),
    ).map((r) => r.t)
    expect(dueTimes).toEqual(['18:00'])
    // Every stage of both courses.
    const stages = parseRows(
      z.object({ course: column.text, completed: column.number, started: column.number, untouched: column.number, overdue: column.number }),
      await db.execute(sql`
        select c.content_id as course,
          count(*) filter (where e.completed_at is not null)::int as completed,
          count(*) filter (where e.completed_at is null and exists (select 1 from module_progress p where p.enrolment_id = e.id))::int as started,
          count(*) filter (where not exists (select 1 from module_progress p where p.enrolment_id = e.id))::int as untouched,
          count(*) filter (where e.completed_at is null and e.due_at < now())::int as overdue
        from enrolments e join courses c on c.id = e.course_id group by c.content_id`),
    )
    for (const s of stages) {
      expect(s.completed, s.course).toBeGreaterThan(0)
      expect(s.started, s.course).toBeGreaterThan(0)
      expect(s.untouched, s.course).toBeGreaterThan(0)
      expect(s.overdue, s.course).toBeGreaterThan(0)
    }
    expect((await one(Count, sql`select count(*)::int as n from quiz_attempts where passed = false`)).n).toBeGreaterThan(0)
    // Nobody in the demo has finished a course without its steps (issue 11: Zhang Wei showed "completed" with 0/17 done).
    const hollow = parseRows(
      z.object({ email: column.text, course: column.text }),
      await db.execute(sql`
        select u.email, c.content_id as course from enrolments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
        where e.completed_at is not null and exists (
          select 1 from course_modules m where m.course_id = c.id and m.required and m.retired_at is null
            and not exists (select 1 from module_progress p where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed'
              and p.completed_at <= e.completed_at + interval '1 minute'))`),
    )
    expect(hollow).toEqual([])
    expect(
      (
        await one(
          Count,
          sql`select count(*)::int as n from enrolments e join users u on u.id = e.user_id
      where u.email = 'manager@example.com' and e.completed_at is not null`,
        )
      ).n,
    ).toBe(1)
  }, 180_000)
})
