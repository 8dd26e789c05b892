import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { registerFileAccess } from '~/modules/files/access.server'
import { probeVideo } from '~/modules/videos/probe.server'
import { tusUpload } from '../../../tests/setup/files/tus'
import { localIn, makeVideo, roleplayCohort } from '../../../tests/setup/roleplay'
import { assignRoleplay, getRoleplayPage } from './roleplay.server'
import { maySeeRecording, submitRecording } from './recordings.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-rp-browser-'))
registerFileAccess('roleplay-video', maySeeRecording)

describe('a recording made in the browser', () => {
  it('has no duration in its WebM header; the server takes it from the last packet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-rp-live-'))
    const file = path.join(dir, 'live.webm')
    writeFileSync(file, makeVideo(3, { format: 'webm', live: true }))
    const probe = await probeVideo(file)
    expect(probe.ok).toBe(true)
    if (probe.ok) expect(Math.round(probe.durationSeconds)).toBe(3)
  })

  it('is submitted through the same resumable path and verification as a file', async () => {
    const c = await roleplayCohort()
    const [g1] = c.groups
    const [alice] = g1.members
    const assigned = await assignRoleplay(c.trainer, c.sessionId, { intent: 'assign', groupId: g1.id, scenarioId: c.scenario.id, dueAt: localIn(48), cast: {} })
    if (!assigned.ok) throw new Error(JSON.stringify(assigned.errors))
    const uploadId = await tusUpload(alice, makeVideo(3, { format: 'webm', live: true }), { purpose: 'roleplay-video', filename: 'recording.webm' })
    expect(await submitRecording(alice, g1.id, uploadId)).toMatchObject({ ok: true, version: 1 })
    const page = await getRoleplayPage(alice, g1.id)
    expect(page.assignment!.versions.map((v) => [v.mime, v.durationSeconds])).toEqual([['video/webm', 3]])
  })
})
