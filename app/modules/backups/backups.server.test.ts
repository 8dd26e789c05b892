import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import type { Locale } from '~/i18n'
import { createPerson, requestAs, settle } from '../../../tests/setup/fixtures'
import { appRequestHandler } from '../../../tests/setup/render-app'
import { getStorage } from '~/modules/files/storage.server'
import { copyFiles } from './archive.server'
import { listBackups } from './backup.server'
import { parseEnv } from '~/env.server'
import { jobHandler } from '~/modules/jobs/jobs.server'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { backupForCommand, backupNow, lastBackup, registerBackupJobs, runScheduledBackup, SCHEDULED_BACKUP_JOB } from './backups.server'
import { writeServerFile } from './server-file.server'

// The module reads its configuration once: set it before the first call.
const work = mkdtempSync(path.join(tmpdir(), 'genjin-backups-'))
Object.assign(process.env, {
  BACKUP_DIR: path.join(work, 'backups'),
  UPLOADS_DIR: path.join(work, 'uploads'),
  PGLITE_DIR: path.join(work, 'pglite'),
  BACKUP_EVERY_HOURS: '24',
  BACKUP_KEEP: '2',
})

/** The home page's text as a person reads it in `locale`. */
async function homeText(render: Awaited<ReturnType<typeof appRequestHandler>>, person: { id: string }, locale: Locale) {
  await db.update(users).set({ locale }).where(eq(users.id, person.id))
  const response = await render(await requestAs(person, '/', { headers: { Accept: 'text/html' } }))
  expect(response.status).toBe(200)
  return (await response.text()).replace(/<script[\s\S]*?<\/script>/g, '').replace(/<!-- -->/g, '')
}

describe('backups in the app', () => {
  it('shows HR admins the time of the last backup on their home page, in both languages, and nobody else', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const render = await appRequestHandler({ only: ['routes/_index'] })
    expect(await lastBackup(hr)).toBeNull()
    expect(await homeText(render, hr, 'en')).toContain('No backup yet. Run npm run db:backup on the server, or set BACKUP_EVERY_HOURS.')
    expect(await homeText(render, hr, 'zh-CN')).toContain('尚无备份。请在服务器上运行 npm run db:backup，或设置 BACKUP_EVERY_HOURS。')

    await mkdir(process.env.BACKUP_DIR!, { recursive: true })
    await writeFile(path.join(process.env.BACKUP_DIR!, 'genjin-backup-2026-01-02T03-04-05-006Z.tar.gz'), 'x')
    expect(await lastBackup(hr)).toMatchObject({ file: 'genjin-backup-2026-01-02T03-04-05-006Z.tar.gz', bytes: 1 })
    // 03:04 UTC is 11:04 in Shanghai, in the reader's language; and it is more than two days old.
    const when = (locale: Locale) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date('2026-01-02T03:04:05.006Z'))
    expect(when('en')).toMatch(/Jan 2, 2026.*11:04/)
    expect(when('zh-CN')).toMatch(/2026年1月2日.*11:04/)
    const en = await homeText(render, hr, 'en')
    expect(en).toContain(`Last backup: ${when('en')}`)
    expect(en).toContain('More than 2 days old')
    const zh = await homeText(render, hr, 'zh-CN')
    expect(zh).toContain(`最近一次备份：${when('zh-CN')}`)
    expect(zh).toContain('已超过 2 天')

    expect(await settle(() => lastBackup(trainer))).toMatchObject({ status: 403 })
    for (const locale of ['en', 'zh-CN'] as const) {
      const page = await homeText(render, trainer, locale)
      expect(page).not.toContain('data-testid="last-backup"')
      expect(page).not.toMatch(/Last backup|No backup yet|最近一次备份|尚无备份/)
    }
  }, 60_000)

  it('takes a scheduled backup only when the newest is older than the interval, and keeps the newest N', async () => {
    const now = new Date()
    const first = await runScheduledBackup(now)
    expect(first?.manifest.tables['public.users']).toBeGreaterThan(0)
    expect(await runScheduledBackup(new Date(now.getTime() + 3_600_000))).toBeNull()
    const later = await runScheduledBackup(new Date(now.getTime() + 25 * 3_600_000))
    expect(later).not.toBeNull()
    // The placeholder of the first test was the oldest: BACKUP_KEEP=2 removed it.
    expect((await listBackups(process.env.BACKUP_DIR!)).map((b) => b.file)).toEqual([later!.file, first!.file].sort().reverse())
  }, 60_000)

  it('runs the scheduled backup from the job runner when BACKUP_EVERY_HOURS is set (off by default)', async () => {
    expect(parseEnv({}).BACKUP_EVERY_HOURS).toBe(0)
    registerBackupJobs()
    expect(jobHandler(SCHEDULED_BACKUP_JOB)).toBeDefined()
    const before = await listBackups(process.env.BACKUP_DIR!)
    expect(before).toHaveLength(2)
    const runner = new InProcessRunner()
    await runner.send(SCHEDULED_BACKUP_JOB, {}, { singletonKey: SCHEDULED_BACKUP_JOB })
    // A day later by the job's clock: the newest archive is older than BACKUP_EVERY_HOURS.
    expect(await runner.runDue({ now: new Date(Date.now() + 25 * 3_600_000) })).toEqual({ completed: 1, failed: 0 })
    const after = await listBackups(process.env.BACKUP_DIR!)
    expect(after.map((b) => b.name)).toEqual([expect.any(String), before[0].name])
    expect(after[0].name > before[0].name).toBe(true)
  }, 60_000)

  it('backs up while a file is being uploaded: the unfinished file is left out, a file gone before its copy is skipped', async () => {
    // An upload whose bytes are still arriving (the storage writes it under a temporary name).
    let release!: () => void
    const arrived = new Promise<void>((resolve) => (release = resolve))
    const body = Readable.from(
      (async function* () {
        yield Buffer.from('first half, ')
        await arrived
        yield Buffer.from('second half')
      })(),
    )
    const storage = getStorage()
    const writing = storage.put('files/being-uploaded', body)
    const store = path.join(process.env.UPLOADS_DIR!, 'store', 'files')
    while (!existsSync(store) || !readdirSync(store).some((f) => f.endsWith('.partial'))) await new Promise((r) => setTimeout(r, 10))

    const { manifest } = await backupNow()
    expect(manifest.files.map((f) => f.path).filter((p) => p.includes('being-uploaded'))).toEqual([])
    release()
    await writing
    const { manifest: after } = await backupNow()
    expect(after.files.map((f) => f.path).filter((p) => p.includes('being-uploaded'))).toEqual(['store/files/being-uploaded'])

    // Listed, then renamed or removed by the app before it was copied.
    const from = path.join(work, 'copy-from')
    await mkdir(from, { recursive: true })
    await writeFile(path.join(from, 'kept.bin'), 'kept')
    expect((await copyFiles(from, path.join(work, 'copy-to'), ['gone.bin', 'kept.bin'])).map((f) => f.path)).toEqual(['kept.bin'])
  }, 60_000)

  it('takes a backup for the command only from this machine with the server token', async () => {
    const { token } = writeServerFile(process.env.PGLITE_DIR!, 4360)
    const post = (auth: string | null, ip = '127.0.0.1') =>
      backupForCommand(new Request('http://localhost/internal/backup', { method: 'POST', headers: auth ? { authorization: auth } : {} }), ip)
    expect((await post(null)).status).toBe(403)
    expect((await post('Bearer wrong')).status).toBe(403)
    expect((await post(`Bearer ${token}`, '203.0.113.9')).status).toBe(403)
    const ok = await post(`Bearer ${token}`)
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { file: string }
    expect(path.basename(body.file)).toMatch(/^genjin-backup-.*\.tar\.gz$/)
  }, 60_000)
})
