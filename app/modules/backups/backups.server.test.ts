import { mkdtempSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPerson } from '../../../tests/setup/fixtures'
import { settle } from '../../../tests/setup/fixtures'
import { listBackups } from './backup.server'
import { backupForCommand, lastBackup, runScheduledBackup } from './backups.server'
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

describe('backups in the app', () => {
  it('shows HR admins the time of the last backup, and nobody else', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    expect(await lastBackup(hr)).toBeNull()
    await mkdir(process.env.BACKUP_DIR!, { recursive: true })
    await writeFile(path.join(process.env.BACKUP_DIR!, 'genjin-backup-2026-01-02T03-04-05-006Z.tar.gz'), 'x')
    expect(await lastBackup(hr)).toMatchObject({ file: 'genjin-backup-2026-01-02T03-04-05-006Z.tar.gz', bytes: 1 })
    expect(await settle(() => lastBackup(trainer))).toMatchObject({ status: 403 })
  })

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
