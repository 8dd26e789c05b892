import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { cohorts, invitations, roleplayAssignments, roleplayScenarios } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from './fixtures'
import { scheduleSession } from './sessions'

let run = 0

/** A scenario row as the scenario library would have stored it: two roles with private briefs. */
export async function scenarioRow(overrides: Partial<typeof roleplayScenarios.$inferInsert> = {}) {
  run++
  const [row] = await db
    .insert(roleplayScenarios)
    .values({
      contentId: `test-scenario-${run}-${crypto.randomUUID().slice(0, 8)}`,
      source: 'file',
      title: { en: `Behind plan ${run}`, 'zh-CN': `落后于计划 ${run}` },
      situation: { en: 'An employee is two weeks behind plan.', 'zh-CN': '一名员工落后计划两周。' },
      roles: [
        { id: 'manager', name: { en: 'Manager', 'zh-CN': '经理' }, brief: { en: 'MANAGER BRIEF: ask about obstacles.', 'zh-CN': '经理说明：询问障碍。' } },
        { id: 'employee', name: { en: 'Employee', 'zh-CN': '员工' }, brief: { en: 'EMPLOYEE BRIEF: you are defensive.', 'zh-CN': '员工说明：你有些抵触。' } },
      ],
      keyPoints: [2, 5, 7],
      observerNotes: { en: 'OBSERVER NOTES: watch for data.', 'zh-CN': '观察要点：是否用数据。' },
      ...overrides,
    })
    .returning()
  return row
}

/**
 * A cohort session taught by `trainer`, with two study groups of two managers each and one
 * scenario. `otherTrainer` teaches nothing in this cohort.
 */
export async function roleplayCohort(groupCount = 2, perGroup = 2) {
  const { formGroups, getGroupBoard } = await import('~/modules/groups/groups.server')
  const hr = await createPerson({ roles: ['hr_admin'] })
  const trainer = await createPerson({ roles: ['trainer'] })
  const otherTrainer = await createPerson({ roles: ['trainer'] })
  const [cohort] = await db
    .insert(cohorts)
    .values({ name: `Role-play cohort ${++run}` })
    .returning()
  const { sessionId } = await scheduleSession(hr, { cohortId: cohort.id, trainerIds: [trainer.id], startsAt: new Date(Date.now() + 3 * 86_400_000) })
  const people: CurrentUser[] = []
  for (let i = 0; i < groupCount * perGroup; i++) people.push(await createPerson({ roles: ['manager'], name: `Player ${run}-${i + 1}` }))
  await db.insert(invitations).values(people.map((p) => ({ sessionId, userId: p.id, status: 'accepted' as const })))
  const formed = await formGroups(trainer, sessionId, { intent: 'form', method: 'random', by: 'count', value: groupCount, seniority: false })
  if (!formed.ok) throw new Error(`could not form groups: ${formed.error}`)
  const board = await getGroupBoard(trainer, sessionId)
  const groups = board.groups.map((g) => ({ id: g.id, members: g.members.map((m) => people.find((p) => p.id === m.userId)!) }))
  const scenario = await scenarioRow()
  return { hr, trainer, otherTrainer, cohort, sessionId, groups, scenario }
}

/** A `datetime-local` value in Asia/Shanghai, `hours` from now. */
export function localIn(hours: number) {
  return new Date(Date.now() + hours * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16)
}

/** Moves an assignment's due time into the past (the form refuses that; tests of lateness need it). */
export async function moveDueAt(assignmentId: string, dueAt: Date) {
  await db.update(roleplayAssignments).set({ dueAt }).where(eq(roleplayAssignments.id, assignmentId))
}

/**
 * A real MP4 made with ffmpeg (moov first), `seconds` long; with `noise` the picture is random
 * so that the file stays big (about `kbps` kilobits per second).
 */
export function makeVideo(seconds = 2, opts: { noise?: boolean; kbps?: number; format?: 'mp4' | 'webm'; live?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-rp-video-'))
  const format = opts.format ?? 'mp4'
  const out = path.join(dir, `skit.${format}`)
  const source = opts.noise ? 'nullsrc=s=320x240:r=15,geq=random(1)*255:128:128' : 'testsrc2=s=160x120:r=10'
  const codec =
    format === 'webm'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', `${opts.kbps ?? 200}k`]
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-b:v', `${opts.kbps ?? 200}k`, '-movflags', '+faststart']
  // `live`: WebM with sound and no duration in its header, the way a browser's MediaRecorder writes it.
  const sound = opts.live ? ['-f', 'lavfi', '-i', 'sine=frequency=440'] : []
  const liveOut = opts.live ? ['-c:a', 'libopus', '-live', '1'] : []
  const result = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, ...sound, '-t', String(seconds), ...codec, ...liveOut, out])
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`)
  return readFileSync(out)
}

/**
 * For the authorization matrix: a role-play of the matrix group (the matrix manager is its only
 * member, cast as the manager) with one recording and a review not yet released.
 */
export async function roleplayMatrixContext(people: Record<'hr_admin' | 'trainer' | 'manager', CurrentUser>, groupId: string, sessionId: string) {
  const { assignRoleplay } = await import('~/modules/roleplay/roleplay.server')
  const { addRecording } = await import('~/modules/roleplay/recordings.server')
  const { saveReview } = await import('~/modules/roleplay/review.server')
  const { storedFiles } = await import('#db/schema')
  const scenario = await scenarioRow()
  const assigned = await assignRoleplay(people.trainer, sessionId, {
    intent: 'assign',
    groupId,
    scenarioId: scenario.id,
    dueAt: localIn(24),
    cast: { [people.manager.id]: 'manager' },
  })
  if (!assigned.ok) throw new Error(`could not assign: ${JSON.stringify(assigned.errors)}`)
  const [file] = await db
    .insert(storedFiles)
    .values({
      storageKey: `test/${crypto.randomUUID()}`,
      purpose: 'roleplay-video',
      name: 'skit.mp4',
      mime: 'video/mp4',
      size: 1234,
      sha256: 'x'.repeat(64),
      createdBy: people.manager.id,
    })
    .returning()
  const recording = await db.transaction((tx) =>
    addRecording(tx, people.manager, assigned.assignmentId, { fileId: file.id, mime: 'video/mp4', durationSeconds: 30 }),
  )
  await saveReview(people.trainer, assigned.assignmentId, { levels: { 1: 2 }, summary: 'Unreleased', mode: 'recording' })
  return { assignmentId: assigned.assignmentId, recordingId: recording.id, groupId, scenarioId: scenario.id }
}
