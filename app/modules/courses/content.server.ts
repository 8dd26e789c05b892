import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import { isUploadedImageUrl } from './media'
import { contentLocales, CourseSchema, type ContentLocale, type Course } from './content-schema'
import { ModuleSchema, type Module } from './kinds/registry.server'

export type ContentProblem = { file: string; line: number; message: string }
export type LocalizedMarkdown = Record<ContentLocale, string>
export type LoadedModule = Module & {
  /** The NN prefix of the folder: modules are shown in this order. */
  order: number
  folder: string
  /** The lesson text, or a non-lesson's optional introduction. */
  body: LocalizedMarkdown | null
}
export type LoadedCourse = Course & { slug: string; modules: LoadedModule[] }
export type LoadedContent = { courses: LoadedCourse[]; problems: ContentProblem[] }

const MODULE_FOLDER = /^(\d{2})-(.+)$/
const CJK_SPACE = /[\p{Script=Han}\u3000-\u303f\uff01-\uff1f] +[\p{Script=Han}\u3000-\u303f\uff01-\uff1f]/u
const COURSE_FILES = new Set(['course.yaml', 'modules'])
const MODULE_FILES = new Set(['module.yaml', ...contentLocales.map((l) => `${l}.md`)])

/**
 * Reads and checks every course under `rootDir` (relative to `baseDir`, the repository root).
 *
 * A course or module with any problem is left out of `courses`, so an importer must refuse to
 * run unless `problems` is empty. Problems name files relative to `baseDir` with the 1-based
 * line of the offending YAML node (line 1 when there is nothing better), sorted by file and
 * line. Folders are read in code-point order so that the result never depends on the file
 * system or the locale.
 */
export async function loadContent(
  rootDir = 'content/courses',
  { baseDir = process.cwd(), videosDir = 'content/videos' }: { baseDir?: string; videosDir?: string } = {},
): Promise<LoadedContent> {
  const problems: ContentProblem[] = []
  const rel = (abs: string) => path.relative(baseDir, abs).split(path.sep).join('/')
  const report = (abs: string, line: number, message: string) => problems.push({ file: rel(abs), line, message })

  const root = path.resolve(baseDir, rootDir)
  const videos = await knownVideos(path.resolve(baseDir, videosDir))
  const courses: LoadedCourse[] = []
  const courseIds = new Map<string, string>()

  const entries = await listDir(root)
  if (!entries) {
    report(root, 1, 'content folder not found')
    return { courses, problems }
  }

  for (const entry of entries) {
    const courseDir = path.join(root, entry.name)
    if (!entry.isDirectory) {
      report(courseDir, 1, 'unexpected file: the content folder holds one folder per course')
      continue
    }
    const course = await loadCourse(courseDir, entry.name, report, videos)
    if (!course) continue
    const other = courseIds.get(course.value.id)
    if (other) {
      report(course.file, course.lineOf(['id']), `duplicate course id "${course.value.id}" (also used by ${rel(other)})`)
      continue
    }
    courseIds.set(course.value.id, course.file)
    if (course.ok) courses.push(course.loaded)
  }

  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
  return { courses, problems }
}

export type Report = (abs: string, line: number, message: string) => void
/** Video id → the id of its pair (null when unpaired), from content/videos/<folder>/video.yaml. */
type KnownVideos = Map<string, string | null>

/**
 * The teaching videos that course files may reference. Only ids and pairs are read here; the
 * video files themselves are checked by their own import (app/modules/videos/content.server.ts).
 */
async function knownVideos(videosDir: string): Promise<KnownVideos> {
  const known: KnownVideos = new Map()
  for (const entry of (await listDir(videosDir)) ?? []) {
    if (!entry.isDirectory) continue
    const source = await readText(path.join(videosDir, entry.name, 'video.yaml'))
    if (source === null) continue
    try {
      const data = parseDocument(normalise(source)).toJS() as { videos?: { id?: unknown; pair?: unknown }[] } | null
      for (const v of data?.videos ?? []) if (typeof v?.id === 'string') known.set(v.id, typeof v.pair === 'string' ? v.pair : null)
    } catch {
      // A broken video.yaml is reported by the video import; its ids just count as unknown here.
    }
  }
  return known
}

async function loadCourse(courseDir: string, slug: string, report: Report, videos: KnownVideos) {
  const file = path.join(courseDir, 'course.yaml')
  // Modules are checked even when course.yaml is broken, so one run shows every problem.
  const parsed = await readYaml(file, report)
  const result = parsed ? CourseSchema.safeParse(parsed.data) : null
  if (parsed && result && !result.success) reportIssues(result.error, parsed, file, report)

  let ok = true
  const entries = (await listDir(courseDir)) ?? []
  for (const entry of entries) {
    if (COURSE_FILES.has(entry.name)) continue
    report(path.join(courseDir, entry.name), 1, 'unexpected file: a course folder holds course.yaml and modules/')
    ok = false
  }

  const modulesDir = path.join(courseDir, 'modules')
  const moduleEntries = await listDir(modulesDir)
  if (!moduleEntries || moduleEntries.length === 0) {
    report(file, 1, 'course has no modules (expected modules/NN-<id>/module.yaml)')
    ok = false
  }

  const modules: LoadedModule[] = []
  const moduleIds = new Map<string, string>()
  const orders = new Map<string, string>()
  for (const entry of moduleEntries ?? []) {
    const moduleDir = path.join(modulesDir, entry.name)
    if (!entry.isDirectory) {
      report(moduleDir, 1, 'unexpected file: modules/ holds one NN-<id> folder per module')
      ok = false
      continue
    }
    const loaded = await loadModule(moduleDir, entry.name, report, videos)
    if (!loaded) {
      ok = false
      continue
    }
    const idLine = loaded.lineOf(['id'])
    let moduleOk = loaded.ok
    const previous = moduleIds.get(loaded.value.id)
    if (previous) {
      report(loaded.file, idLine, `duplicate module id "${loaded.value.id}" in this course (also in ${previous})`)
      moduleOk = false
    } else {
      moduleIds.set(loaded.value.id, entry.name)
    }
    const match = MODULE_FOLDER.exec(entry.name)
    if (!match || match[2] !== loaded.value.id) {
      report(loaded.file, idLine, `module folder "${entry.name}" must be named NN-${loaded.value.id} (two-digit order, then the id)`)
      moduleOk = false
    } else if (orders.has(match[1])) {
      report(loaded.file, idLine, `module order ${match[1]} is used twice (${orders.get(match[1])} and ${entry.name})`)
      moduleOk = false
    } else {
      orders.set(match[1], entry.name)
    }
    if (moduleOk && match) modules.push({ ...loaded.value, order: Number(match[1]), folder: entry.name, body: loaded.body })
    else ok = false
  }

  if (!parsed || !result?.success) return null
  return {
    file,
    value: result.data,
    lineOf: (p: (string | number)[]) => lineOf(parsed, p),
    ok,
    loaded: { ...result.data, slug, modules } satisfies LoadedCourse,
  }
}

async function loadModule(moduleDir: string, folder: string, report: Report, videos: KnownVideos) {
  const file = path.join(moduleDir, 'module.yaml')
  const parsed = await readYaml(file, report)
  if (!parsed) return null
  const result = ModuleSchema.safeParse(parsed.data)
  if (!result.success) {
    reportIssues(result.error, parsed, file, report)
    return null
  }
  const value = result.data
  let ok = true

  if (value.kind === 'video') {
    if (!videos.has(value.ref)) {
      report(file, lineOf(parsed, ['ref']), `ref: unknown video "${value.ref}" (no video with this id in content/videos)`)
      ok = false
    } else if (value.pair !== undefined && videos.get(value.ref) !== value.pair) {
      const actual = videos.get(value.ref)
      report(file, lineOf(parsed, ['pair']), `pair: "${value.pair}" is not the pair of "${value.ref}" (${actual ? `its pair is "${actual}"` : 'it has none'})`)
      ok = false
    }
  }

  const entries = (await listDir(moduleDir)) ?? []
  for (const entry of entries) {
    if (!MODULE_FILES.has(entry.name)) {
      report(path.join(moduleDir, entry.name), 1, `unexpected file in module ${folder}: a module folder holds module.yaml, en.md and zh-CN.md`)
      ok = false
    }
  }

  // Lessons need both texts; any other kind may carry both as an introduction, but never one alone.
  const texts: Partial<LocalizedMarkdown> = {}
  for (const locale of contentLocales) {
    const mdFile = path.join(moduleDir, `${locale}.md`)
    const source = await readText(mdFile)
    if (source === null) continue
    const problems = checkMarkdown(source, locale)
    for (const p of problems) report(mdFile, p.line, p.message)
    if (problems.length > 0) ok = false
    texts[locale] = normalise(source)
  }
  const present = contentLocales.filter((l) => texts[l] !== undefined)
  const missing = contentLocales.filter((l) => texts[l] === undefined)
  const kindLine = lineOf(parsed, ['kind'])
  if (value.kind === 'lesson' || present.length > 0) {
    for (const locale of missing) {
      const what = value.kind === 'lesson' ? `a lesson needs ${locale}.md` : `the introduction has ${present[0]}.md but no ${locale}.md`
      report(file, kindLine, `${what} (missing ${locale} text)`)
      ok = false
    }
  }
  const body = missing.length === 0 ? (texts as LocalizedMarkdown) : null

  return { file, value, body, ok, lineOf: (p: (string | number)[]) => lineOf(parsed, p) }
}

export type MarkdownIssueCode = 'empty' | 'frontMatter' | 'h1' | 'rawHtml' | 'firstBlock' | 'imageAlt' | 'imageSource'

const markdownMessages: Record<MarkdownIssueCode, (locale: ContentLocale) => string> = {
  empty: (locale) => `${locale}.md is empty (missing ${locale} text)`,
  frontMatter: () => 'front matter is not allowed: metadata belongs in module.yaml',
  h1: () => 'use ## headings: the title comes from module.yaml',
  rawHtml: () => 'raw HTML is not allowed in lesson Markdown',
  firstBlock: () => 'start with a paragraph, not a heading, list, quote, table or code block',
  imageAlt: () => 'an image needs alt text: ![what it shows](/media/images/…)',
  imageSource: () => 'images must be uploaded ones (/media/images/…)',
}

/**
 * The rules of docs/content-format.md for lesson Markdown, in English for content files and
 * the content check.
 */
export function checkMarkdown(source: string, locale: ContentLocale): { line: number; message: string }[] {
  return markdownIssues(source).map((issue) => ({ line: issue.line, message: markdownMessages[issue.code](locale) }))
}

/**
 * The rules for lesson Markdown that a renderer would otherwise hide: empty files, front
 * matter, raw HTML, a `#` title (the title lives in module.yaml), a first block that is not a
 * paragraph, and images without alt text or from anywhere but our uploads.
 */
export function markdownIssues(source: string): { line: number; code: MarkdownIssueCode }[] {
  const text = normalise(source)
  if (text.trim() === '') return [{ line: 1, code: 'empty' }]
  const lines = text.split('\n')
  const problems: { line: number; code: MarkdownIssueCode }[] = []
  if (lines[0].trim() === '---') problems.push({ line: 1, code: 'frontMatter' })

  let fence: string | null = null
  lines.forEach((line, index) => {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line)
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1][0]
      else if (fenceMatch[1][0] === fence) fence = null
      return
    }
    if (fence !== null) return
    if (/^\s{0,3}#(?!#)\s/.test(line)) problems.push({ line: index + 1, code: 'h1' })
    const withoutCode = line.replace(/`[^`]*`/g, '')
    if (/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<!--/.test(withoutCode)) problems.push({ line: index + 1, code: 'rawHtml' })
    for (const image of withoutCode.matchAll(/!\[([^\]]*)\]\(\s*<?([^\s)>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!image[1].trim()) problems.push({ line: index + 1, code: 'imageAlt' })
      if (!isUploadedImageUrl(image[2])) problems.push({ line: index + 1, code: 'imageSource' })
    }
  })

  const first = lines.findIndex((l) => l.trim() !== '')
  if (!problems.some((p) => p.line <= first + 1) && !isParagraphStart(lines[first])) {
    problems.push({ line: first + 1, code: 'firstBlock' })
  }
  return problems.sort((a, b) => a.line - b.line)
}

function isParagraphStart(line: string) {
  return !/^\s{0,3}(?:#|>|[-*+]\s|\d+[.)]\s|```|~~~|\||---|\*\*\*|___)/.test(line)
}

function normalise(source: string) {
  return source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

export type ParsedYaml = { doc: Document.Parsed; lineCounter: LineCounter; data: unknown }

/** Also used by the case library (app/modules/assignments/case-content.server.ts). */
export async function readYaml(file: string, report: Report): Promise<ParsedYaml | null> {
  const source = await readText(file)
  if (source === null) {
    report(file, 1, `missing ${path.basename(file)}`)
    return null
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(normalise(source), { lineCounter, prettyErrors: true })
  const errors = [...doc.errors, ...doc.warnings]
  if (errors.length > 0) {
    for (const error of errors) {
      // An unclosed quote or bracket is only noticed at the end of the file; the node it opened is where to look.
      const offset = error.code === 'MISSING_CHAR' ? (openedAt(doc, error.pos[0]) ?? error.pos[0]) : error.pos[0]
      const line = lineCounter.linePos(offset).line
      // The library appends " at line L, column C:" and a code frame; the line is reported separately.
      const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
      report(file, line, `YAML syntax: ${message}`)
    }
    return null
  }
  // Two YAML habits that silently damage text: ` #` starts a comment even mid-sentence, and a line
  // break inside a scalar becomes a space, which is wrong between Chinese characters.
  let damaged = false
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || !contentLocales.includes(pair.key.value as ContentLocale)) return
      const line = lineCounter.linePos(pair.value.range?.[0] ?? 0).line
      if (pair.value.comment !== undefined && pair.value.type === 'PLAIN') {
        report(file, line, `${String(pair.key.value)} text is cut short at " #" (a YAML comment): put the text in quotes`)
        damaged = true
      }
      if (pair.key.value === 'zh-CN' && typeof pair.value.value === 'string' && CJK_SPACE.test(pair.value.value)) {
        report(file, line, 'zh-CN text has a space between Chinese characters (YAML turns line breaks into spaces): keep Chinese text on one line')
        damaged = true
      }
    },
  })
  if (damaged) return null
  return { doc, lineCounter, data: doc.toJS({ maxAliasCount: 100 }) }
}

export function reportIssues(error: z.ZodError, parsed: ParsedYaml, file: string, report: Report) {
  for (const issue of error.issues) {
    // zod reports unknown keys on their parent object; point at each key instead.
    const located =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown key (check the spelling against docs/content-format.md)' }))
        : [{ path: issue.path, message: issue.message }]
    for (const { path: at, message } of located) {
      const where = formatPath(at)
      report(file, lineOf(parsed, at), where ? `${where}: ${message}` : message)
    }
  }
}

function formatPath(segments: (string | number)[]) {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
}

/**
 * The line where the deepest existing part of `segments` is written. For a map entry that is
 * the key's line, so a missing `zh-CN` under `title:` points at `title:` and a missing field of
 * a list item points at the item's first line.
 */
function lineOf({ doc, lineCounter }: ParsedYaml, segments: (string | number)[]): number {
  const at = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line)
  let node: unknown = doc.contents
  let line = at((node as { range?: [number] } | null)?.range?.[0])
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment)
      if (!pair) break
      line = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined)
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number] } | undefined
      if (!item) break
      line = at(item.range?.[0])
      node = item
    } else {
      break
    }
  }
  return line
}

/** The start of the innermost node that is still open at `offset`, if any. */
function openedAt(doc: Document.Parsed, offset: number) {
  let start: number | undefined
  visit(doc, (_key, node) => {
    const range = (node as { range?: [number, number, number] }).range
    if (isNode(node) && range && range[0] <= offset && offset <= range[2] && (start === undefined || range[0] >= start)) start = range[0]
  })
  return start
}

async function listDir(dir: string) {
  try {
    const names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort()
    return Promise.all(names.map(async (name) => ({ name, isDirectory: (await stat(path.join(dir, name))).isDirectory() })))
  } catch {
    return null
  }
}

async function readText(file: string) {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return null
  }
}

/**
 * Reads and checks a folder of one-YAML-file-per-item content (`<rootDir>/<id>.yaml`: cases,
 * role-play scenarios): each file against `schema`, its `id` matching the file name and unique.
 * A file with a problem is left out; problems name the file and line (scripts/content-check.ts).
 */
export async function loadYamlFolder<T extends { id: string }>(
  rootDir: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  { baseDir = process.cwd(), noun }: { baseDir?: string; noun: string },
): Promise<{ items: T[]; problems: ContentProblem[] }> {
  const problems: ContentProblem[] = []
  const rel = (abs: string) => path.relative(baseDir, abs).split(path.sep).join('/')
  const report = (abs: string, line: number, message: string) => problems.push({ file: rel(abs), line, message })
  const root = path.resolve(baseDir, rootDir)
  let names: string[]
  try {
    names = (await readdir(root)).filter((n) => !n.startsWith('.')).sort()
  } catch {
    report(root, 1, 'content folder not found')
    return { items: [], problems }
  }
  const items: T[] = []
  const seen = new Map<string, string>()
  for (const name of names) {
    const file = path.join(root, name)
    if (!name.endsWith('.yaml')) {
      report(file, 1, `unexpected file (a ${noun} is one <id>.yaml file)`)
      continue
    }
    const parsed = await readYaml(file, report)
    if (!parsed) continue
    const result = schema.safeParse(parsed.data)
    if (!result.success) {
      reportIssues(result.error, parsed, file, report)
      continue
    }
    if (`${result.data.id}.yaml` !== name) {
      report(file, 1, `id: "${result.data.id}" must match the file name (${name})`)
      continue
    }
    const other = seen.get(result.data.id)
    if (other) {
      report(file, 1, `id: duplicate ${noun} id "${result.data.id}" (also in ${other})`)
      continue
    }
    seen.set(result.data.id, rel(file))
    items.push(result.data)
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  return { items, problems }
}
