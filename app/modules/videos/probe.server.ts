import { spawn, spawnSync } from 'node:child_process'

/**
 * Server-side check of an uploaded video with ffprobe (Debian's `ffmpeg` package): it reads every
 * packet of the container (no decoding, so it is quick), which is what finds a file cut short
 * (a valid `ftyp`/`moov` but missing media data). The duration comes from the container, never
 * from what the browser measured.
 */
export type ProbeResult = { ok: true; durationSeconds: number } | { ok: false; reason: 'corrupt' } | { ok: false; reason: 'unavailable' }

let available: boolean | undefined
export function ffprobeAvailable() {
  available ??= spawnSync('ffprobe', ['-version'], { stdio: 'ignore' }).status === 0
  return available
}

function ffprobe(args: string[], timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('ffprobe', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (c) => {
      clearTimeout(timer)
      resolve({ code: c, stdout: out, stderr: err })
    })
    child.on('error', () => resolve({ code: -1, stdout: '', stderr: 'spawn failed' }))
  })
}

/** The end of the last packet (its time plus its duration), over every stream; NaN when unknown. */
async function durationFromPackets(file: string, timeoutMs: number) {
  const { code, stdout } = await ffprobe(['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], timeoutMs)
  if (code !== 0) return Number.NaN
  let end = Number.NaN
  for (const line of stdout.split('\n')) {
    const [pts, length] = line.split(',').map(Number)
    if (!Number.isFinite(pts)) continue
    const packetEnd = pts + (Number.isFinite(length) ? length : 0)
    if (Number.isNaN(end) || packetEnd > end) end = packetEnd
  }
  return end
}

export async function probeVideo(file: string, timeoutMs = 120_000): Promise<ProbeResult> {
  if (!ffprobeAvailable()) return { ok: false, reason: 'unavailable' }
  const args = ['-v', 'error', '-count_packets', '-show_entries', 'format=duration:stream=codec_type,nb_read_packets', '-of', 'json', file]
  const { code, stdout, stderr } = await ffprobe(args, timeoutMs)
  // Any error while reading the packets (e.g. "partial file", "moov atom not found") means damaged.
  if (code !== 0 || stderr.trim()) return { ok: false, reason: 'corrupt' }
  try {
    const parsed = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { codec_type?: string; nb_read_packets?: string }[] }
    let duration = Number(parsed.format?.duration)
    // A recording made in the browser (MediaRecorder's WebM) is written as a live stream: its
    // header has no duration. Then the duration is where the last packet of the container ends.
    if (parsed.format?.duration === undefined) duration = await durationFromPackets(file, timeoutMs)
    const video = parsed.streams?.find((s) => s.codec_type === 'video')
    if (!video || !(Number(video.nb_read_packets) > 0) || !Number.isFinite(duration) || duration <= 0) return { ok: false, reason: 'corrupt' }
    return { ok: true, durationSeconds: duration }
  } catch {
    return { ok: false, reason: 'corrupt' }
  }
}
