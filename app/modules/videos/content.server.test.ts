import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { breakpoints, videoCaptions, videos } from '#db/schema'
import { createPerson, requestAs } from '../../../tests/setup/fixtures'
import { loader as mediaLoader } from '~/routes/media.videos.$videoId.$file'
import { importSampleVideos } from './content.server'

async function media(person: { id: string } | null, url: string, headers: Record<string, string> = {}) {
  const request = await requestAs(person, url, { headers })
  const [, , , videoId, file] = new URL(url, 'http://localhost').pathname.split('/')
  try {
    return (await mediaLoader({ request, params: { videoId, file }, context: {} })) as Response
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

describe('importing the sample videos', () => {
  it('imports both videos with captions, pair and breakpoints, and is idempotent', async () => {
    const first = await importSampleVideos(db)
    expect(first).toMatchObject({ videos: 2, imported: 2, breakpoints: 12 })
    const second = await importSampleVideos(db)
    expect(second).toMatchObject({ imported: 0, unchanged: 2 })
    const [positive] = await db.select().from(videos).where(eq(videos.id, 'follow-up-positive'))
    expect(positive).toMatchObject({ kind: 'positive', pairId: 'follow-up-negative', durationSeconds: 113.4, status: 'ready' })
    const bps = await db.select().from(breakpoints).where(eq(breakpoints.videoId, 'follow-up-positive')).orderBy(breakpoints.timeSeconds)
    expect(bps.map((b) => b.matchId)).toEqual(['opening', 'facts', 'obstacle', 'feedback', 'autonomy', 'next-steps'])
    expect(bps[1]).toMatchObject({ id: 'pos-facts', timeSeconds: 37.989, mustAcknowledge: true, keyPoints: [7, 3] })
    expect(bps[1].question?.answer).toEqual(['b'])
    const captions = await db.select().from(videoCaptions).where(eq(videoCaptions.videoId, 'follow-up-negative'))
    expect(captions.map((c) => c.locale).sort()).toEqual(['en', 'zh-CN'])
    expect(captions[0].vtt.startsWith('WEBVTT')).toBe(true)
  })

  it('keeps a trainer’s edit while the file is unchanged, and applies the file when it changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-videos-'))
    cpSync('content/videos/follow-up-sample', path.join(dir, 'copy'), { recursive: true })
    await importSampleVideos(db, dir)
    await db.update(breakpoints).set({ timeSeconds: 21 }).where(eq(breakpoints.id, 'neg-opening'))
    await importSampleVideos(db, dir)
    expect((await db.select().from(breakpoints).where(eq(breakpoints.id, 'neg-opening')))[0].timeSeconds).toBe(21)
    const file = path.join(dir, 'copy', 'video.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('An unplanned ambush', 'An unplanned ambush!'))
    const summary = await importSampleVideos(db, dir)
    expect(summary.imported).toBe(1)
    const [bp] = await db.select().from(breakpoints).where(eq(breakpoints.id, 'neg-opening'))
    expect(bp.timeSeconds).toBe(20.91)
    expect(bp.title.en).toBe('An unplanned ambush!')
  })

  it('imports a breakpoint voice-over and serves it from the media route', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-videos-'))
    cpSync('content/videos/follow-up-sample', path.join(dir, 'voice'), { recursive: true })
    writeFileSync(path.join(dir, 'voice', 'neg-opening.mp3'), Buffer.from('ID3 fake audio'))
    const file = path.join(dir, 'voice', 'video.yaml')
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '        keyPoints: [ 1, 2 ]\n        mustAcknowledge: false\n      - id: neg-facts',
        '        keyPoints: [ 1, 2 ]\n        mustAcknowledge: false\n        voiceOver: neg-opening.mp3\n      - id: neg-facts',
      ),
    )
    await importSampleVideos(db, dir)
    const [bp] = await db.select().from(breakpoints).where(eq(breakpoints.id, 'neg-opening'))
    expect(bp.voiceOverPath).toBe(path.join(dir, 'voice', 'neg-opening.mp3'))
    const employee = await createPerson({ roles: ['employee'] })
    const audio = await media(employee, '/media/videos/follow-up-negative/neg-opening.mp3')
    expect(audio.status).toBe(200)
    expect(audio.headers.get('Content-Type')).toBe('audio/mpeg')
    await audio.body?.cancel()
  })

  it('refuses a file whose breakpoint lies after the end of the video', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-videos-'))
    cpSync('content/videos/follow-up-sample', path.join(dir, 'bad'), { recursive: true })
    const file = path.join(dir, 'bad', 'video.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('timeSeconds: 104.205', 'timeSeconds: 204.205'))
    await expect(importSampleVideos(db, dir)).rejects.toThrow(/after the end of the video/)
  })
})

describe('the media route', () => {
  it('serves byte ranges of the video to signed-in people (206 + Content-Range)', async () => {
    await importSampleVideos(db)
    const manager = await createPerson({ roles: ['manager'] })
    const size = readFileSync('content/videos/follow-up-sample/positive.mp4').length
    const whole = await media(manager, '/media/videos/follow-up-positive/positive.mp4')
    expect(whole.status).toBe(200)
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes')
    expect(Number(whole.headers.get('Content-Length'))).toBe(size)
    await whole.body?.cancel()
    const part = await media(manager, '/media/videos/follow-up-positive/positive.mp4', { Range: 'bytes=100-199' })
    expect(part.status).toBe(206)
    expect(part.headers.get('Content-Range')).toBe(`bytes 100-199/${size}`)
    const bytes = new Uint8Array(await part.arrayBuffer())
    expect(bytes.length).toBe(100)
    expect(Buffer.from(bytes).equals(readFileSync('content/videos/follow-up-sample/positive.mp4').subarray(100, 200))).toBe(true)
    const tail = await media(manager, '/media/videos/follow-up-positive/positive.mp4', { Range: 'bytes=-10' })
    expect(tail.headers.get('Content-Range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`)
    await tail.body?.cancel()
    const beyond = await media(manager, '/media/videos/follow-up-positive/positive.mp4', { Range: `bytes=${size}-` })
    expect(beyond.status).toBe(416)
  })

  it('serves captions as text/vtt and the poster, nothing else, and nobody signed out', async () => {
    await importSampleVideos(db)
    const employee = await createPerson({ roles: ['employee'] })
    const vtt = await media(employee, '/media/videos/follow-up-negative/captions.zh-CN.vtt')
    expect(vtt.headers.get('Content-Type')).toMatch(/^text\/vtt/)
    expect(await vtt.text()).toMatch(/^WEBVTT/)
    const poster = await media(employee, '/media/videos/follow-up-negative/negative.jpg')
    expect(poster.headers.get('Content-Type')).toBe('image/jpeg')
    await poster.body?.cancel()
    expect((await media(employee, '/media/videos/follow-up-negative/video.yaml')).status).toBe(404)
    expect((await media(employee, '/media/videos/follow-up-negative/..%2Fpositive.mp4')).status).toBe(404)
    const anonymous = await media(null, '/media/videos/follow-up-negative/negative.mp4')
    expect(anonymous.status).toBe(302)
    const lecturer = await createPerson({ roles: ['lecturer'] })
    expect((await media(lecturer, '/media/videos/follow-up-negative/negative.mp4')).status).toBe(403)
  })
})
