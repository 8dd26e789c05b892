/**
 * Every route of the app with real parameters taken from the demo company (db/seed), so a test can
 * open every page the way the demo's people would. Route files and their parameters are read from
 * app/routes: a new route is visited without editing this file (parameters it does not know get
 * a placeholder and usually a 404, which still runs the loader).
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { seedDemo } from '#db/seed'
import { DEMO_ACCOUNTS } from '#db/seed/demo-accounts'
import { importCases } from '~/modules/assignments/case-content.server'
import type { Role } from '~/modules/auth/permissions'
import { importContent } from '~/modules/courses/course-import.server'
import { importSampleVideos } from '~/modules/videos/content.server'

/** What `npm start` does on a fresh database (scripts/migrate.ts --seed): content, videos, cases, then the demo. */
export async function prepareDemo() {
  process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-demo-'))
  await db.transaction((tx) => importContent(tx, { publishNew: true }))
  await importSampleVideos(db)
  await db.transaction((tx) => importCases(tx))
  await seedDemo(db)
}

export const routesDir = path.resolve('app/routes')
export const routeFiles = readdirSync(routesDir)
  .filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f))
  .sort()

export type Visit = { file: string; url: string; params: Record<string, string> }

const paramNames = (file: string) =>
  file
    .replace(/\.(tsx?|jsx?)$/, '')
    .split('.')
    .filter((s) => s.startsWith('$'))
    .map((s) => (s === '$' ? '*' : s.slice(1).replace(/_$/, '')))

function urlOf(file: string, params: Record<string, string>) {
  // A dot inside [ ] is part of the URL (`report[.csv]` is /report.csv), not a separator.
  const segments = file
    .replace(/\.(tsx?|jsx?)$/, '')
    .replace(/(^|\.)_index$/, '')
    .replace(/\[([^\]]*)\]/g, (_, escaped: string) => `[${escaped.replace(/\./g, '\u0001')}]`)
    .split('.')
    .filter(Boolean)
    .filter((s) => !/^_/.test(s))
  const url = segments
    .map((s) => {
      if (s.startsWith('$')) return encodeURIComponent(params[s === '$' ? '*' : s.slice(1).replace(/_$/, '')] ?? 'x')
      return s
        .replace(/_$/, '')
        .replace(/\[|\]/g, '')
        .replace(/\u0001/g, '.')
    })
    .join('/')
  return `/${url}`.replace(/\/+$/, '') || '/'
}

/** One text column `v` of a query, as a list. */
async function textColumn(query: ReturnType<typeof sql>) {
  return parseRows(z.object({ v: column.text }), await db.execute(query)).map((r) => r.v)
}

/** The demo's sign-in accounts, one per role, with their user ids. */
export async function demoPeople(): Promise<{ role: Role; id: string; email: string }[]> {
  const rows = parseRows(
    z.object({ id: column.text, email: column.text }),
    await db.execute(sql`select id, email from users where email in ${DEMO_ACCOUNTS.map((a) => a.email)}`),
  )
  return DEMO_ACCOUNTS.map((a) => ({ role: a.role, email: a.email, id: rows.find((r) => r.email === a.email)!.id }))
}

/**
 * The visits for every route file: one per combination of the demo's values for its parameters
 * (every session, course, module, video, …), capped so a test stays quick.
 */
export async function demoVisits(options: { perRoute?: number } = {}): Promise<Visit[]> {
  const cap = options.perRoute ?? 40
  const people = await demoPeople()
  const manager = people.find((p) => p.role === 'manager')!
  const values: Record<string, string[]> = {
    sessionId: await textColumn(sql`select id::text as v from sessions order by starts_at`),
    courseId: await textColumn(sql`select content_id as v from courses order by content_id`),
    videoId: await textColumn(sql`select id as v from videos order by id`),
    caseId: await textColumn(sql`select id::text as v from cases order by id limit 3`),
    periodId: await textColumn(sql`select id::text as v from kpi_periods order by starts_on`),
    periodKey: await textColumn(sql`select key as v from kpi_periods order by starts_on`),
    emailId: await textColumn(sql`select id::text as v from emails order by (attachments is null), created_at limit 3`),
    personId: people.map((p) => p.id),
    groupId: await textColumn(sql`select id::text as v from study_groups order by id limit 3`),
    assignmentId: await textColumn(sql`select id::text as v from group_assignments order by id limit 3`),
    fileId: await textColumn(sql`select id::text as v from stored_files order by id limit 3`),
    employeeId: await textColumn(sql`select id::text as v from users where manager_id = ${manager.id} order by id limit 3`),
    managerId: await textColumn(
      sql`select distinct u.id::text as v from users u join user_roles r on r.user_id = u.id and r.role = 'manager' order by 1 limit 3`,
    ),
    imageId: await textColumn(sql`select id::text as v from images order by id limit 1`),
    index: ['0'],
    file: ['captions.en.vtt'],
    token: ['demo-token'],
    uploadId: ['x'],
    '*': ['x'],
  }
  for (const [k, v] of Object.entries(values)) if (v.length === 0) values[k] = ['00000000-0000-4000-8000-000000000000']
  const modules = parseRows(
    z.object({ courseId: column.text, moduleId: column.text }),
    await db.execute(sql`select c.content_id as "courseId", m.content_id as "moduleId" from course_modules m join courses c on c.id = m.course_id
      where m.retired_at is null order by c.content_id, m.position`),
  )

  const visits: Visit[] = []
  for (const file of routeFiles) {
    const names = paramNames(file)
    let combos: Record<string, string>[] = [{}]
    if (names.includes('moduleId')) combos = modules.map((m) => ({ courseId: m.courseId, moduleId: m.moduleId }))
    for (const name of names.filter((n) => n !== 'moduleId' && !(n === 'courseId' && names.includes('moduleId')))) {
      combos = combos.flatMap((c) => (values[name] ?? ['x']).map((v) => ({ ...c, [name]: v })))
    }
    for (const params of combos.slice(0, cap)) visits.push({ file, url: urlOf(file, params), params })
  }
  return visits
}
