/** WebVTT checks shared by the upload form (instant feedback) and the server (the authority). */

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/

function seconds(stamp: string): number | null {
  const m = TIMESTAMP.exec(stamp)
  if (!m) return null
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000
}

export type VttCheck = { ok: true; cues: number } | { ok: false; error: string; line?: number }

/**
 * Validates WebVTT text: the `WEBVTT` header, cue timings `start --> end` with start < end,
 * cues in order, within the video's duration when known, and at least one cue.
 */
export function checkWebVtt(text: string, duration?: number): VttCheck {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) return { ok: false, error: 'videos.vtt.header', line: 1 }
  let cues = 0
  let previousStart = -1
  for (const [index, line] of lines.entries()) {
    if (!line.includes('-->')) continue
    const [startText, rest] = line.split('-->').map((s) => s.trim())
    const endText = rest?.split(/\s+/)[0] ?? ''
    const start = seconds(startText)
    const end = seconds(endText)
    if (start === null || end === null) return { ok: false, error: 'videos.vtt.timing', line: index + 1 }
    if (end <= start) return { ok: false, error: 'videos.vtt.endBeforeStart', line: index + 1 }
    if (start < previousStart) return { ok: false, error: 'videos.vtt.order', line: index + 1 }
    if (duration !== undefined && duration > 0 && start > duration + 0.5) return { ok: false, error: 'videos.vtt.afterEnd', line: index + 1 }
    previousStart = start
    cues++
  }
  if (cues === 0) return { ok: false, error: 'videos.vtt.noCues' }
  return { ok: true, cues }
}

/** Field errors (`captions.<locale>`: `key|line`) for the captions of a video that are not valid WebVTT. */
export function captionErrors(captions: Partial<Record<'zh-CN' | 'en', string>>, duration?: number): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const locale of ['zh-CN', 'en'] as const) {
    const text = captions[locale]?.trim()
    if (!text) continue
    const check = checkWebVtt(text, duration)
    if (!check.ok) errors[`captions.${locale}`] = [`${check.error}${check.line ? `|${check.line}` : ''}`]
  }
  return errors
}
