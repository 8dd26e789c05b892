import { createHash } from 'node:crypto'
import { and, eq, isNotNull, isNull, notInArray, sql } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { courseModules, courses, type ModuleSettings } from '#db/schema'
import { loadContent, type LoadedContent, type LoadedCourse, type LoadedModule } from './content.server'
import { recomputeCompletions } from './completion.server'
import { syncEnrolments } from './enrolment.server'
import { syncLinkedModules } from './linked-modules.server'

export type ImportCounts = { created: number; updated: number; unchanged: number; retired: number }
export type ImportSummary = { courses: ImportCounts; modules: ImportCounts }

export class ContentProblemsError extends Error {
  constructor(readonly problems: LoadedContent['problems']) {
    super(
      `course content has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported:\n` +
        problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'),
    )
  }
}

const zero = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, retired: 0 })

function hash(value: unknown) {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex')
}

function courseFields(course: LoadedCourse) {
  return { audience: course.audience, title: course.title, description: course.description, estimatedMinutes: course.estimatedMinutes }
}

/** Everything about a module that learners see; its position is not content, so reordering keeps the version. */
function moduleFields(module: LoadedModule) {
  let settings: ModuleSettings = {}
  if (module.kind === 'quiz') {
    settings = { passMark: module.passMark, maxAttempts: module.maxAttempts, scoring: module.scoring, questions: module.questions }
  } else if (module.kind === 'prep_sheet') {
    settings = { fields: module.fields }
  } else if (module.kind === 'video') {
    settings = module.pair ? { ref: module.ref, pair: module.pair } : { ref: module.ref }
  } else if (module.kind !== 'lesson' && module.ref) {
    settings = { ref: module.ref }
  }
  return {
    kind: module.kind,
    title: module.title,
    body: module.body,
    settings,
    required: module.required,
    estimatedMinutes: module.estimatedMinutes,
    keyPoints: module.keyPoints ?? [],
  }
}

/**
 * Brings the database in line with the course files, matching courses and modules by their
 * stable ids. Unchanged content writes nothing; a changed module is updated in place with its
 * version raised (progress, attempts and prep sheets point at the row, so they survive); a
 * module or course missing from the files is retired, never deleted. Refuses to run at all when
 * the files have any problem, because the loader leaves broken modules out and importing the
 * rest would retire them.
 *
 * Courses created by this import are published when `publishNew` is set; an existing course
 * keeps whatever status HR gave it.
 */
export async function importContent(executor: Executor, options: { content?: LoadedContent; publishNew?: boolean } = {}): Promise<ImportSummary> {
  const content = options.content ?? (await loadContent())
  if (content.problems.length > 0) throw new ContentProblemsError(content.problems)
  const summary: ImportSummary = { courses: zero(), modules: zero() }
  const touched: string[] = []
  const now = new Date()

  const existingCourses = await executor.select().from(courses)
  const byContentId = new Map(existingCourses.map((c) => [c.contentId, c]))

  for (const course of content.courses) {
    const fields = courseFields(course)
    const courseHash = hash(fields)
    let row = byContentId.get(course.id)
    if (!row) {
      ;[row] = await executor
        .insert(courses)
        .values({ contentId: course.id, ...fields, contentHash: courseHash, status: options.publishNew ? 'published' : 'draft' })
        .returning()
      summary.courses.created++
    } else if (row.contentHash !== courseHash || row.retiredAt) {
      await executor
        .update(courses)
        .set({ ...fields, contentHash: courseHash, retiredAt: null, updatedAt: now })
        .where(eq(courses.id, row.id))
      summary.courses.updated++
    } else {
      summary.courses.unchanged++
    }
    const changed = await importModules(executor, row.id, course.modules, summary.modules, now)
    if (changed) touched.push(row.id)
  }

  // Only imported courses (they carry a content hash) can go missing from the files.
  const seen = content.courses.map((c) => c.id)
  const gone = await executor
    .update(courses)
    .set({ retiredAt: now, updatedAt: now })
    .where(and(isNotNull(courses.contentHash), isNull(courses.retiredAt), seen.length ? notInArray(courses.contentId, seen) : undefined))
    .returning({ id: courses.id })
  summary.courses.retired += gone.length

  // New or changed modules may name videos already watched or sessions already attended; retiring a
  // required module can finish someone's course. Done here, so that pages only read.
  for (const courseId of touched) {
    await syncEnrolments(executor, { courseId })
    await syncLinkedModules(executor, { courseId })
    await recomputeCompletions(executor, { courseId })
  }
  return summary
}

async function importModules(executor: Executor, courseId: string, modules: LoadedModule[], counts: ImportCounts, now: Date) {
  const existing = await executor.select().from(courseModules).where(eq(courseModules.courseId, courseId))
  const byContentId = new Map(existing.map((m) => [m.contentId, m]))
  let changed = false
  for (const module of modules) {
    const fields = moduleFields(module)
    const moduleHash = hash(fields)
    const row = byContentId.get(module.id)
    if (!row) {
      await executor.insert(courseModules).values({ courseId, contentId: module.id, position: module.order, ...fields, contentHash: moduleHash })
      counts.created++
      changed = true
    } else if (row.contentHash !== moduleHash) {
      await executor
        .update(courseModules)
        .set({ ...fields, position: module.order, contentHash: moduleHash, version: sql`${courseModules.version} + 1`, retiredAt: null, updatedAt: now })
        .where(eq(courseModules.id, row.id))
      counts.updated++
      changed = true
    } else if (row.position !== module.order || row.retiredAt) {
      await executor.update(courseModules).set({ position: module.order, retiredAt: null, updatedAt: now }).where(eq(courseModules.id, row.id))
      counts.updated++
      changed = true
    } else {
      counts.unchanged++
    }
  }
  const keep = modules.map((m) => m.id)
  const retired = await executor
    .update(courseModules)
    .set({ retiredAt: now, updatedAt: now })
    .where(and(eq(courseModules.courseId, courseId), isNull(courseModules.retiredAt), keep.length ? notInArray(courseModules.contentId, keep) : undefined))
    .returning({ id: courseModules.id })
  counts.retired += retired.length
  return changed || retired.length > 0
}

/** One line for the start-up log. */
export function formatImportSummary(s: ImportSummary) {
  const part = (what: string, c: ImportCounts) => `${what} ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged, ${c.retired} retired`
  return `Course content imported: ${part('courses', s.courses)}; ${part('modules', s.modules)}.`
}
