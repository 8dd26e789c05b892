/**
 * Renders the sample teaching videos (training format 3: a positive and a negative example
 * of the same follow-up situation) from a written scenario.
 *
 *   npx tsx scripts/videos/make-sample-videos.ts [content/videos/follow-up-sample]
 *
 * Input:  <dir>/scenario.yaml
 * Output: <dir>/{positive,negative}.mp4   narrated slides, H.264 + AAC, faststart
 *         <dir>/{positive,negative}.jpg   posters
 *         <dir>/{positive,negative}.{zh-CN,en}.vtt   captions, one cue per scene
 *         <dir>/video.yaml                metadata the app imports (breakpoints with times)
 *
 * Needs ffmpeg/ffprobe, espeak-ng and the Noto Sans CJK fonts (Debian: ffmpeg espeak-ng
 * fonts-noto-cjk). Only maintainers run it: the outputs are committed. Same scenario and
 * same tool versions give the same video.yaml and captions (the mp4 bytes may differ).
 * See docs/sample-videos.md.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Document, isScalar, parse, visit } from 'yaml'
import { z } from 'zod'

// ---------------------------------------------------------------- settings

const WIDTH = 1280
const HEIGHT = 720
const FPS = 5
/**
 * Keyframes: at every scene start (so a seek to a scene or a breakpoint lands on a clean
 * frame) and every KEYFRAME_EVERY seconds inside a scene. Still slides make keyframes the
 * bulk of the file, so they are placed on purpose instead of by a fixed GOP.
 */
const KEYFRAME_EVERY = 4
/** Hard cap on the keyframe distance, in frames, as a safety net for the encoder. */
const GOP = 5 * FPS
const CRF = 31
const AUDIO_BITRATE = '32k'
const MAX_BYTES = 3 * 1024 * 1024

const SAMPLE_RATE = 22050 // what espeak-ng writes
const LEAD_IN = 0.25 // silence before each line, seconds
const PAUSE = 0.5 // silence after a line
const BREAKPOINT_PAUSE = 1.2 // silence after a line that has a breakpoint
/** A breakpoint sits this long after its line has been spoken, well before the next slide. */
const BREAKPOINT_DELAY = 0.3
const OUTRO_HOLD = 1.5

const COLORS = {
  background: '0xF4F1EA',
  positive: '0x2E7D32',
  negative: '0xB3261E',
  card: '0xFFFFFF',
  cardBorder: '0xDDD8CC',
  ink: '0x1D1D1F',
  inkSoft: '0x4A4A4F',
  muted: '0x8A8A90',
  inactive: '0xC9CED6',
  badge: '0xFFD54F',
}

// ---------------------------------------------------------------- scenario schema

const Text = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }).strict()
const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case')
const OptionId = z.preprocess((v) => (typeof v === 'boolean' ? String(v) : v), kebab)

const Question = z
  .object({
    id: kebab,
    type: z.enum(['single', 'multiple']),
    prompt: Text,
    options: z.array(z.object({ id: OptionId, text: Text }).strict()).min(3),
    answer: z.array(OptionId).min(1),
    explanation: Text,
  })
  .strict()
  .superRefine((q, ctx) => {
    const ids = q.options.map((o) => o.id)
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: `question ${q.id}: duplicate option ids` })
    for (const a of q.answer) if (!ids.includes(a)) ctx.addIssue({ code: 'custom', message: `question ${q.id}: answer ${a} is not an option` })
    if (q.type === 'single' && q.answer.length !== 1) ctx.addIssue({ code: 'custom', message: `question ${q.id}: single choice needs exactly one answer` })
  })

const Breakpoint = z
  .object({
    id: kebab,
    match: kebab,
    title: Text,
    commentary: Text,
    keyPoints: z.array(z.number().int().min(1).max(10)).min(1),
    mustAcknowledge: z.boolean(),
    /** Predict, then reveal: the learner writes what the manager should say before seeing the commentary. */
    predictPrompt: Text.optional(),
    question: Question.optional(),
  })
  .strict()

const Scene = z
  .object({
    speaker: z.string(),
    line: Text,
    say: z.string().min(1).optional(),
    breakpoint: Breakpoint.optional(),
  })
  .strict()

const Voice = z.object({ variant: z.string().regex(/^[a-z0-9]+$/), pitch: z.number().int().min(0).max(99), speed: z.number().int().min(80).max(450) }).strict()

const Speaker = z
  .object({
    name: Text,
    role: Text.optional(),
    initial: z.string().optional(),
    side: z.enum(['left', 'right']).optional(),
    color: z
      .string()
      .regex(/^#[0-9A-Fa-f]{6}$/)
      .optional(),
    voice: Voice,
  })
  .strict()

const Video = z
  .object({
    id: kebab,
    kind: z.enum(['positive', 'negative']),
    label: Text,
    setting: Text,
    title: Text,
    description: Text,
    outro: Text,
    scenes: z.array(Scene).min(5),
  })
  .strict()

const Scenario = z
  .object({
    id: kebab,
    title: Text,
    situation: Text,
    speakers: z.record(kebab, Speaker),
    videos: z.object({ positive: Video, negative: Video }).strict(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.speakers.narrator) ctx.addIssue({ code: 'custom', message: 'speakers.narrator is required (intro and outro cards)' })
    const sides = Object.entries(s.speakers).filter(([, sp]) => sp.side)
    for (const side of ['left', 'right']) {
      if (sides.filter(([, sp]) => sp.side === side).length !== 1) ctx.addIssue({ code: 'custom', message: `exactly one speaker must sit on the ${side}` })
    }
    for (const [, sp] of sides)
      if (!sp.color || !sp.initial || !sp.role) ctx.addIssue({ code: 'custom', message: `speaker ${sp.name.en} needs color, initial and role` })
    const bpIds = new Set<string>()
    const matches: Record<string, string[]> = {}
    for (const kind of ['positive', 'negative'] as const) {
      const video = s.videos[kind]
      if (video.kind !== kind) ctx.addIssue({ code: 'custom', message: `videos.${kind}.kind must be ${kind}` })
      matches[kind] = []
      let questions = 0
      for (const scene of video.scenes) {
        const sp = s.speakers[scene.speaker]
        if (!sp || !sp.side) ctx.addIssue({ code: 'custom', message: `${video.id}: unknown on-screen speaker "${scene.speaker}"` })
        const bp = scene.breakpoint
        if (!bp) continue
        if (bpIds.has(bp.id)) ctx.addIssue({ code: 'custom', message: `duplicate breakpoint id ${bp.id}` })
        bpIds.add(bp.id)
        if (matches[kind].includes(bp.match)) ctx.addIssue({ code: 'custom', message: `${video.id}: match "${bp.match}" used twice` })
        matches[kind].push(bp.match)
        if (bp.question) questions++
      }
      if (matches[kind].length < 5) ctx.addIssue({ code: 'custom', message: `${video.id}: needs at least 5 breakpoints, has ${matches[kind].length}` })
      if (questions !== 2) ctx.addIssue({ code: 'custom', message: `${video.id}: expected 2 breakpoints with a question, found ${questions}` })
    }
    const a = [...matches.positive].sort().join(',')
    const b = [...matches.negative].sort().join(',')
    if (a !== b) ctx.addIssue({ code: 'custom', message: `positive and negative breakpoints must pair up by match id: [${a}] vs [${b}]` })
  })

type Scenario = z.infer<typeof Scenario>
type VideoSpec = z.infer<typeof Video>
type SpeakerSpec = z.infer<typeof Speaker>
type LocalText = z.infer<typeof Text>

// ---------------------------------------------------------------- helpers

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(cmd, args, {
      input: opts.input,
      env: opts.env ?? process.env,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new Error(`${cmd} ${args.join(' ')}\n${e.stderr ?? e.message}`)
  }
}

function requireTool(cmd: string, versionArg: string) {
  try {
    execFileSync(cmd, [versionArg], { stdio: 'ignore' })
  } catch {
    throw new Error(`${cmd} is not installed. On Debian: apt-get install -y ffmpeg espeak-ng fonts-noto-cjk`)
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000
/** Rounds a duration up to a whole number of video frames, so audio and video stay aligned. */
const toFrames = (seconds: number) => Math.ceil(seconds * FPS - 1e-9) / FPS

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.floor((ms % 60_000) / 1000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`
}

// ---------------------------------------------------------------- speech

interface Speech {
  samples: Int16Array
  seconds: number
}

/** Reads the PCM data of a 16-bit mono WAV file (what espeak-ng writes). */
function readWav(file: string): Int16Array {
  const buf = fs.readFileSync(file)
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`)
  let offset = 12
  let format: { channels: number; rate: number; bits: number } | undefined
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4)
    let size = buf.readUInt32LE(offset + 4)
    const body = offset + 8
    if (id === 'fmt ') format = { channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) }
    if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== SAMPLE_RATE || format.bits !== 16)
        throw new Error(`${file}: expected 16-bit mono ${SAMPLE_RATE} Hz, got ${JSON.stringify(format)}`)
      // espeak-ng writing to a file may leave the size field at its maximum: clamp it.
      size = Math.min(size, buf.length - body)
      const samples = new Int16Array(Math.floor(size / 2))
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i)
      return samples
    }
    offset = body + size + (size % 2)
  }
  throw new Error(`${file}: no data chunk`)
}

function writeWav(file: string, samples: Int16Array) {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + samples.length * 2, 4)
  header.write('WAVE', 8, 'ascii')
  header.write('fmt ', 12, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(SAMPLE_RATE, 24)
  header.writeUInt32LE(SAMPLE_RATE * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(samples.length * 2, 40)
  const data = Buffer.alloc(samples.length * 2)
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i], 2 * i)
  fs.writeFileSync(file, Buffer.concat([header, data]))
}

/**
 * espeak-ng's Mandarin voice. Not plain `cmn`: in espeak-ng 1.51 (Debian 12) that voice
 * reads the dictionary's pinyin for most characters as English ("ming two"); the
 * `cmn-latn-pinyin` variant of the same language speaks them as Mandarin, and reads Latin
 * letters as pinyin. So a spoken line holds Chinese characters, plus pinyin syllables with
 * a tone digit (chong2) to fix a misread polyphone; numbers are written out in characters.
 */
const ESPEAK_VOICE = 'cmn-latn-pinyin'

/** Speaks a Mandarin line with espeak-ng and trims the silence it adds around it. */
function speak(text: string, voice: z.infer<typeof Voice>, file: string): Speech {
  if (/[A-Za-z0-9]/.test(text.replace(/[a-z]+[1-5]/g, ''))) {
    throw new Error(`spoken text may hold only Chinese and pinyin with a tone digit (write numbers out in \`say\`): ${text}`)
  }
  const args = ['-v', `${ESPEAK_VOICE}+${voice.variant}`, '-p', String(voice.pitch), '-s', String(voice.speed), '-a', '80', '-b', '1']
  const phonemes = run('espeak-ng', [...args, '-q', '-x'], { input: text })
  if (phonemes.includes('(en)')) throw new Error(`espeak-ng would read part of this line as English:\n${text}\n${phonemes}`)
  run('espeak-ng', [...args, '-w', file], { input: text })
  const raw = readWav(file)
  const threshold = 300
  let start = 0
  let end = raw.length
  while (start < end && Math.abs(raw[start]) < threshold) start++
  while (end > start && Math.abs(raw[end - 1]) < threshold) end--
  const margin = Math.round(0.04 * SAMPLE_RATE)
  const samples = raw.slice(Math.max(0, start - margin), Math.min(raw.length, end + margin))
  // Same peak level (-3 dBFS) for every line: equal loudness across voices, and headroom
  // so the AAC encoder does not clip (espeak-ng peaks close to full scale).
  let peak = 1
  for (const v of samples) peak = Math.max(peak, Math.abs(v))
  const gain = (0.7 * 32767) / peak
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i] * gain)
  return { samples, seconds: samples.length / SAMPLE_RATE }
}

// ---------------------------------------------------------------- text layout

const NO_LINE_START = new Set('，。、；：？！）」』”’》〉…—,.;:?!)%'.split(''))
const NO_LINE_END = new Set('（「『“‘《〈('.split(''))

function isWide(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0
  return c >= 0x2e80 || (c >= 0x2010 && c <= 0x201f) || c === 0x2026
}

/** Approximate advance width of a character in em (Noto Sans CJK). */
function charWidth(ch: string): number {
  if (isWide(ch)) return 1
  if (" ilj.,;:'!|()[]".includes(ch)) return 0.3
  if ('ftr-'.includes(ch)) return 0.38
  if ('mwMW'.includes(ch)) return 0.86
  if (/[A-Z0-9%]/.test(ch)) return 0.64
  return 0.55
}

const tokenWidth = (t: string) => [...t].reduce((w, ch) => w + charWidth(ch), 0)

/** Splits text into unbreakable tokens: one CJK character, or a run of Latin letters/digits, or a space. */
function tokenize(text: string): string[] {
  return text.match(/ +|[^\s\u2e80-\uffff\u2010-\u201f\u2026]+|[\s\S]/gu) ?? []
}

function greedy(tokens: string[], maxEm: number): string[][] {
  const lines: string[][] = [[]]
  let width = 0
  for (const token of tokens) {
    const w = tokenWidth(token)
    let line = lines[lines.length - 1]
    if (line.length > 0 && width + w > maxEm && token.trim() !== '') {
      // Keep closing punctuation on the line it closes; move an opening one to the next line.
      if (NO_LINE_START.has(token[0])) {
        line.push(token)
        width += w
        continue
      }
      const carried: string[] = []
      while (line.length > 1 && NO_LINE_END.has(line[line.length - 1])) carried.unshift(line.pop()!)
      line = [...carried]
      lines.push(line)
      width = carried.reduce((a, t) => a + tokenWidth(t), 0)
    }
    if (line.length === 0 && token.trim() === '') continue
    line.push(token)
    width += w
  }
  return lines.filter((l) => l.length > 0)
}

/** Wraps text into lines no wider than maxEm, balancing the line lengths. */
function wrap(text: string, maxEm: number): string[] {
  const tokens = tokenize(text)
  const count = greedy(tokens, maxEm).length
  let lo = tokenWidth(text) / count
  let hi = maxEm
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2
    if (greedy(tokens, mid).length <= count) hi = mid
    else lo = mid
  }
  return greedy(tokens, hi).map((l) => l.join('').trim())
}

// ---------------------------------------------------------------- slides

interface TextItem {
  text: string
  bold?: boolean
  size: number
  color: string
  /** x: a number (left edge), or { center } / { right } in pixels */
  x: number | { center: number } | { right: number }
  y: number
}

interface Slide {
  kind: 'positive' | 'negative'
  label: LocalText
  setting: LocalText
  /** speaker currently talking (highlighted), or null on intro/outro cards */
  active: string | null
  /** speakers shown in colour; the others are greyed out */
  lit: string[]
  cardLabel: string
  cardColor: string
  zh: string
  en: string
  badge?: string
  counter?: string
}

class SlideRenderer {
  private n = 0
  constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly scenario: Scenario,
  ) {}

  private textFilter(item: TextItem): string {
    const file = path.join(this.dir, `text-${String(this.n++).padStart(4, '0')}.txt`)
    fs.writeFileSync(file, item.text)
    const x = typeof item.x === 'number' ? String(item.x) : 'center' in item.x ? `${item.x.center}-tw/2` : `${item.x.right}-tw`
    return `drawtext=font=${item.bold ? 'GenjinBold' : 'GenjinRegular'}:textfile=${file}:expansion=none:fontsize=${item.size}:fontcolor=${item.color}:x=${x}:y=${item.y}`
  }

  render(slide: Slide, out: string) {
    const sp = this.scenario.speakers
    const people = Object.entries(sp).filter(([, s]) => s.side) as [
      string,
      SpeakerSpec & { side: 'left' | 'right'; color: string; initial: string; role: LocalText },
    ][]
    const boxes: string[] = []
    const texts: TextItem[] = []
    const box = (x: number, y: number, w: number, h: number, color: string, t: number | 'fill' = 'fill') =>
      boxes.push(`drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=${color}:t=${t}`)
    const barColor = COLORS[slide.kind]

    // Title bar: label left, scenario title right.
    box(0, 0, WIDTH, 76, barColor)
    texts.push({ text: `${slide.label['zh-CN']}  ${slide.label.en}`, bold: true, size: 34, color: 'white', x: 40, y: 17 })
    texts.push({ text: `${this.scenario.title['zh-CN']}`, size: 22, color: 'white', x: { right: WIDTH - 40 }, y: 12 })
    texts.push({ text: `${this.scenario.title.en}`, size: 17, color: 'white', x: { right: WIDTH - 40 }, y: 44 })

    // The two people.
    const avatar = 150
    for (const [id, person] of people) {
      const x0 = person.side === 'left' ? 90 : WIDTH - 90 - avatar
      const y0 = 112
      const lit = slide.lit.includes(id)
      const color = lit ? person.color.replace('#', '0x') : COLORS.inactive
      if (slide.active === id) box(x0 - 9, y0 - 9, avatar + 18, avatar + 18, color, 5)
      box(x0, y0, avatar, avatar, color)
      texts.push({ text: person.initial, bold: true, size: 88, color: 'white', x: { center: x0 + avatar / 2 }, y: y0 + 16 })
      texts.push({
        text: `${person.name['zh-CN']}  ${person.name.en}`,
        bold: true,
        size: 24,
        color: lit ? COLORS.ink : COLORS.muted,
        x: { center: x0 + avatar / 2 },
        y: y0 + avatar + 18,
      })
      texts.push({
        text: `${person.role['zh-CN']} · ${person.role.en}`,
        size: 18,
        color: lit ? COLORS.inkSoft : COLORS.muted,
        x: { center: x0 + avatar / 2 },
        y: y0 + avatar + 52,
      })
    }

    // Setting, between the two people.
    texts.push({ text: '场景 Setting', size: 18, color: COLORS.muted, x: { center: WIDTH / 2 }, y: 140 })
    texts.push({ text: slide.setting['zh-CN'], bold: true, size: 28, color: COLORS.ink, x: { center: WIDTH / 2 }, y: 172 })
    texts.push({ text: slide.setting.en, size: 20, color: COLORS.inkSoft, x: { center: WIDTH / 2 }, y: 216 })

    // Speech card.
    const cx = 60
    const cy = 352
    const cw = WIDTH - 120
    const ch = HEIGHT - cy - 64
    box(cx - 1, cy - 1, cw + 2, ch + 2, COLORS.cardBorder)
    box(cx, cy, cw, ch, COLORS.card)
    box(cx, cy, 10, ch, slide.cardColor)
    texts.push({ text: slide.cardLabel, bold: true, size: 22, color: slide.cardColor, x: cx + 34, y: cy + 16 })
    if (slide.badge) {
      const bw = 300
      box(cx + cw - bw - 20, cy + 14, bw, 36, COLORS.badge)
      texts.push({ text: slide.badge, bold: true, size: 20, color: COLORS.ink, x: { center: cx + cw - 20 - bw / 2 }, y: cy + 18 })
    }
    const zhSize = 40
    const enSize = 26
    const textWidth = cw - 68
    const zhLines = wrap(slide.zh, textWidth / zhSize)
    const enLines = wrap(slide.en, textWidth / enSize)
    const zhLead = 58
    const enLead = 36
    const blockHeight = zhLines.length * zhLead + 16 + enLines.length * enLead
    let y = cy + 62 + Math.max(0, Math.floor((ch - 62 - 16 - blockHeight) / 2))
    for (const line of zhLines) {
      texts.push({ text: line, size: zhSize, color: COLORS.ink, x: cx + 34, y })
      y += zhLead
    }
    y += 16
    for (const line of enLines) {
      texts.push({ text: line, size: enSize, color: COLORS.inkSoft, x: cx + 34, y })
      y += enLead
    }
    if (y > cy + ch) throw new Error(`text does not fit on the slide: ${slide.zh}`)

    // Footer.
    texts.push({ text: '跟进 Genjin · 绩效跟进培训示范视频 Performance follow-up training sample', size: 16, color: COLORS.muted, x: 60, y: HEIGHT - 44 })
    if (slide.counter) texts.push({ text: slide.counter, size: 16, color: COLORS.muted, x: { right: WIDTH - 60 }, y: HEIGHT - 44 })

    const graph = `color=c=${COLORS.background}:s=${WIDTH}x${HEIGHT}:d=1,${[...boxes, ...texts.map((t) => this.textFilter(t))].join(',')}`
    const script = path.join(this.dir, `graph-${String(this.n++).padStart(4, '0')}.txt`)
    fs.writeFileSync(script, graph)
    run('ffmpeg', ['-v', 'error', '-y', '-filter_complex_script', script, '-frames:v', '1', out], { env: this.env })
  }
}

// ---------------------------------------------------------------- one video

interface Segment {
  speaker: string
  zh: string
  en: string
  start: number
  end: number
  speechEnd: number
  breakpoint?: z.infer<typeof Breakpoint>
  image: string
}

interface Rendered {
  durationSeconds: number
  segments: Segment[]
}

function renderVideo(scenario: Scenario, video: VideoSpec, outDir: string, work: string, env: NodeJS.ProcessEnv): Rendered {
  const kind = video.kind
  const dir = path.join(work, kind)
  fs.mkdirSync(dir, { recursive: true })
  const renderer = new SlideRenderer(dir, env, scenario)
  const onScreen = Object.keys(scenario.speakers).filter((id) => scenario.speakers[id].side)
  const narrator = scenario.speakers.narrator
  const bpTotal = video.scenes.filter((s) => s.breakpoint).length

  type Step = { speaker: string; say: string; zh: string; en: string; slide: Slide; hold: number; breakpoint?: z.infer<typeof Breakpoint> }
  const base = { kind, label: video.label, setting: video.setting }
  const steps: Step[] = []
  steps.push({
    speaker: 'narrator',
    say: `${video.label['zh-CN']}。${scenario.situation['zh-CN']}`,
    zh: scenario.situation['zh-CN'],
    en: scenario.situation.en,
    hold: PAUSE + 0.4,
    slide: {
      ...base,
      active: null,
      lit: onScreen,
      cardLabel: '情境 Situation',
      cardColor: COLORS[kind],
      zh: scenario.situation['zh-CN'],
      en: scenario.situation.en,
    },
  })
  let bpNumber = 0
  video.scenes.forEach((scene, i) => {
    const sp = scenario.speakers[scene.speaker]
    if (scene.breakpoint) bpNumber++
    steps.push({
      speaker: scene.speaker,
      say: scene.say ?? scene.line['zh-CN'],
      zh: scene.line['zh-CN'],
      en: scene.line.en,
      hold: scene.breakpoint ? BREAKPOINT_PAUSE : PAUSE,
      breakpoint: scene.breakpoint,
      slide: {
        ...base,
        active: scene.speaker,
        lit: [scene.speaker],
        cardLabel: `${sp.name['zh-CN']} ${sp.name.en}：`,
        cardColor: sp.color!.replace('#', '0x'),
        zh: scene.line['zh-CN'],
        en: scene.line.en,
        badge: scene.breakpoint ? `关键时刻 ${bpNumber}/${bpTotal} · Key moment ${bpNumber}` : undefined,
        counter: `${i + 1} / ${video.scenes.length}`,
      },
    })
  })
  steps.push({
    speaker: 'narrator',
    say: video.outro['zh-CN'],
    zh: video.outro['zh-CN'],
    en: video.outro.en,
    hold: OUTRO_HOLD,
    slide: { ...base, active: null, lit: [], cardLabel: '讨论 Discussion', cardColor: COLORS[kind], zh: video.outro['zh-CN'], en: video.outro.en },
  })

  const audio: Int16Array[] = []
  const segments: Segment[] = []
  let t = 0
  steps.forEach((step, i) => {
    const speaker = step.speaker === 'narrator' ? narrator : scenario.speakers[step.speaker]
    const speech = speak(step.say, speaker.voice, path.join(dir, `line-${String(i).padStart(3, '0')}.wav`))
    const duration = toFrames(LEAD_IN + speech.seconds + step.hold)
    const total = Math.round(duration * SAMPLE_RATE)
    const pcm = new Int16Array(total)
    pcm.set(speech.samples, Math.round(LEAD_IN * SAMPLE_RATE))
    audio.push(pcm)
    const image = path.join(dir, `slide-${String(i).padStart(3, '0')}.png`)
    renderer.render(step.slide, image)
    segments.push({
      speaker: step.speaker,
      zh: step.zh,
      en: step.en,
      start: t,
      end: t + duration,
      speechEnd: t + LEAD_IN + speech.seconds,
      breakpoint: step.breakpoint,
      image,
    })
    t += duration
    process.stdout.write('.')
  })
  process.stdout.write('\n')
  const totalSeconds = t

  // One WAV for the whole video, sample-exact with the slide timing.
  const all = new Int16Array(audio.reduce((n, a) => n + a.length, 0))
  let offset = 0
  for (const a of audio) {
    all.set(a, offset)
    offset += a.length
  }
  const wav = path.join(dir, 'audio.wav')
  writeWav(wav, all)

  // Slides as an ffconcat list (the last entry is repeated so its duration counts).
  const list = path.join(dir, 'slides.ffconcat')
  const lines = ['ffconcat version 1.0']
  for (const s of segments) lines.push(`file '${s.image}'`, `duration ${(s.end - s.start).toFixed(3)}`)
  lines.push(`file '${segments[segments.length - 1].image}'`)
  fs.writeFileSync(list, lines.join('\n') + '\n')

  const mp4 = path.join(outDir, `${kind}.mp4`)
  const keyframes = segments
    .flatMap((s) => {
      const times: number[] = []
      for (let k = s.start; k < s.end - 1; k += KEYFRAME_EVERY) times.push(k)
      return times
    })
    .map((k) => k.toFixed(3))
    .join(',')
  run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-i',
    wav,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-vf',
    `fps=${FPS},format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'veryslow',
    '-tune',
    'stillimage',
    '-crf',
    String(CRF),
    '-profile:v',
    'high',
    '-level',
    '4.0',
    '-g',
    String(GOP),
    '-keyint_min',
    '1',
    '-sc_threshold',
    '0',
    '-force_key_frames',
    keyframes,
    '-c:a',
    'aac',
    '-b:a',
    AUDIO_BITRATE,
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE),
    '-t',
    totalSeconds.toFixed(3),
    '-map_metadata',
    '-1',
    '-metadata',
    `title=${video.title['zh-CN']} / ${video.title.en}`,
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-movflags',
    '+faststart',
    mp4,
  ])

  // Poster: the opening card (both people, the situation, the kind of example).
  run('ffmpeg', ['-v', 'error', '-y', '-i', segments[0].image, '-q:v', '4', '-frames:v', '1', path.join(outDir, `${kind}.jpg`)])

  // Captions: one cue per scene, speaker named.
  for (const locale of ['zh-CN', 'en'] as const) {
    const cues = ['WEBVTT', '']
    segments.forEach((s, i) => {
      const name = (s.speaker === 'narrator' ? narrator : scenario.speakers[s.speaker]).name[locale]
      const text = locale === 'zh-CN' ? `${name}：${s.zh}` : `${name}: ${s.en}`
      cues.push(`${kind}-${String(i).padStart(2, '0')}`, `${vttTime(s.start)} --> ${vttTime(s.end)}`, text, '')
    })
    fs.writeFileSync(path.join(outDir, `${kind}.${locale}.vtt`), cues.join('\n'))
  }

  const probed = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', mp4]).trim())
  return { durationSeconds: round3(probed), segments }
}

// ---------------------------------------------------------------- checks

function checkOutputs(outDir: string, meta: ReturnType<typeof buildMeta>) {
  const problems: string[] = []
  for (const v of meta.videos) {
    const size = fs.statSync(path.join(outDir, v.file)).size
    if (size > MAX_BYTES) problems.push(`${v.file} is ${size} bytes, over ${MAX_BYTES}`)
    if (v.durationSeconds < 60 || v.durationSeconds > 180) problems.push(`${v.file} lasts ${v.durationSeconds}s, expected 1-3 minutes`)
    for (const bp of v.breakpoints) {
      if (!(bp.timeSeconds > 0 && bp.timeSeconds < v.durationSeconds)) problems.push(`${bp.id} at ${bp.timeSeconds}s is outside ${v.file}`)
    }
    const times = v.breakpoints.map((b) => b.timeSeconds)
    if (times.some((t, i) => i > 0 && t <= times[i - 1])) problems.push(`${v.id}: breakpoint times are not increasing`)
    for (const file of Object.values(v.captions)) {
      const vtt = fs.readFileSync(path.join(outDir, file), 'utf8')
      if (!vtt.startsWith('WEBVTT\n')) problems.push(`${file}: missing WEBVTT header`)
      let last = -1
      for (const m of vtt.matchAll(/^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$/gm)) {
        const a = +m[1] * 3600 + +m[2] * 60 + +m[3] + +m[4] / 1000
        const b = +m[5] * 3600 + +m[6] * 60 + +m[7] + +m[8] / 1000
        if (a < last || b <= a) problems.push(`${file}: cue ${m[0]} is not in order`)
        if (b > v.durationSeconds + 0.001) problems.push(`${file}: cue ${m[0]} ends after the video`)
        last = b
      }
    }
  }
  const [a, b] = meta.videos.map((v) =>
    v.breakpoints
      .map((bp) => bp.match)
      .sort()
      .join(','),
  )
  if (a !== b) problems.push(`match ids differ: ${a} vs ${b}`)
  if (problems.length > 0) throw new Error(`output check failed:\n  ${problems.join('\n  ')}`)
}

// ---------------------------------------------------------------- metadata

function buildMeta(scenario: Scenario, rendered: Record<'positive' | 'negative', Rendered>) {
  const order = ['positive', 'negative'] as const
  return {
    id: scenario.id,
    title: scenario.title,
    situation: scenario.situation,
    videos: order.map((kind) => {
      const video = scenario.videos[kind]
      const other = scenario.videos[kind === 'positive' ? 'negative' : 'positive']
      const r = rendered[kind]
      return {
        id: video.id,
        kind,
        title: video.title,
        description: video.description,
        file: `${kind}.mp4`,
        poster: `${kind}.jpg`,
        durationSeconds: r.durationSeconds,
        fps: FPS,
        captions: { en: `${kind}.en.vtt`, 'zh-CN': `${kind}.zh-CN.vtt` },
        pair: other.id,
        breakpoints: r.segments
          .filter((s) => s.breakpoint)
          .map((s) => {
            const bp = s.breakpoint!
            return {
              id: bp.id,
              match: bp.match,
              timeSeconds: round3(s.speechEnd + BREAKPOINT_DELAY),
              title: bp.title,
              commentary: bp.commentary,
              keyPoints: bp.keyPoints,
              mustAcknowledge: bp.mustAcknowledge,
              ...(bp.predictPrompt ? { predictPrompt: bp.predictPrompt } : {}),
              ...(bp.question ? { question: bp.question } : {}),
            }
          }),
      }
    }),
  }
}

// ---------------------------------------------------------------- main

function main() {
  const outDir = path.resolve(process.argv[2] ?? 'content/videos/follow-up-sample')
  const scenarioFile = path.join(outDir, 'scenario.yaml')
  const parsed = Scenario.safeParse(parse(fs.readFileSync(scenarioFile, 'utf8')))
  if (!parsed.success) {
    throw new Error(`${scenarioFile} is invalid:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`)
  }
  const scenario = parsed.data
  requireTool('ffmpeg', '-version')
  requireTool('ffprobe', '-version')
  requireTool('espeak-ng', '--version')

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genjin-videos-'))
  // Fontconfig aliases, so drawtext can ask for the Simplified Chinese faces of the
  // Noto Sans CJK collection by a plain name (its default face is the Japanese one).
  const fontsConf = path.join(work, 'fonts.conf')
  const alias = (name: string, weight: string) => `
  <match target="pattern">
    <test name="family"><string>${name}</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Noto Sans CJK SC</string></edit>
    <edit name="weight" mode="assign" binding="strong"><const>${weight}</const></edit>
  </match>`
  fs.writeFileSync(
    fontsConf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>${alias('GenjinBold', 'bold')}${alias('GenjinRegular', 'regular')}\n</fontconfig>\n`,
  )
  const env = { ...process.env, FONTCONFIG_FILE: fontsConf }
  const found = run('fc-match', ['--format', '%{family[0]}', 'GenjinBold'], { env })
  if (!found.includes('Noto Sans CJK')) throw new Error('Noto Sans CJK is not installed (Debian: apt-get install -y fonts-noto-cjk)')

  try {
    const rendered = {} as Record<'positive' | 'negative', Rendered>
    for (const kind of ['negative', 'positive'] as const) {
      console.log(`rendering ${scenario.videos[kind].id}`)
      rendered[kind] = renderVideo(scenario, scenario.videos[kind], outDir, work, env)
    }
    const meta = buildMeta(scenario, rendered)
    const header = '# Generated by scripts/videos/make-sample-videos.ts from scenario.yaml. Do not edit: change the scenario and regenerate.\n'
    const doc = new Document(meta)
    // Short lists of numbers or ids (keyPoints, answer) read better on one line.
    visit(doc, {
      Seq(_, node) {
        if (node.items.every((item) => isScalar(item))) node.flow = true
      },
    })
    fs.writeFileSync(path.join(outDir, 'video.yaml'), header + doc.toString({ lineWidth: 0 }))
    checkOutputs(outDir, meta)
    for (const v of meta.videos) {
      const size = fs.statSync(path.join(outDir, v.file)).size
      console.log(`${v.file}: ${v.durationSeconds}s, ${(size / 1024).toFixed(0)} KiB`)
      for (const bp of v.breakpoints)
        console.log(`  ${bp.timeSeconds.toFixed(3).padStart(8)}  ${bp.match.padEnd(11)} [${bp.keyPoints.join(', ')}]${bp.question ? ' + question' : ''}`)
    }
  } finally {
    if (!process.env.KEEP_WORK) fs.rmSync(work, { recursive: true, force: true })
    else console.log(`work files kept in ${work}`)
  }
}

main()
