import { spawnSync } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { roleplayScenarios } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { loadRoleplayScenarios } from './scenario-content.server'
import { saveScenario, syncRoleplayScenarios } from './scenario-library.server'
import { ScenarioForm } from './scenarios'

const SHIPPED = ['behind-plan', 'high-performer-growth', 'defensive-employee', 'remote-employee', 'new-hire', 'manager-of-managers']

describe('role-play scenario files', () => {
  it('ships the six scenarios in both languages, each with two or three roles and private briefs', async () => {
    const { scenarios, problems } = await loadRoleplayScenarios('content/roleplays')
    expect(problems).toEqual([])
    expect(scenarios.map((s) => s.id).sort()).toEqual([...SHIPPED].sort())
    for (const s of scenarios) {
      expect(s.situation.en.length).toBeGreaterThan(300)
      expect(s.situation['zh-CN'].length).toBeGreaterThan(120)
      expect(s.roles.length).toBeGreaterThanOrEqual(2)
      expect(s.roles.length).toBeLessThanOrEqual(3)
      for (const role of s.roles) {
        expect(role.brief.en.length).toBeGreaterThan(200)
        expect(role.brief['zh-CN'].length).toBeGreaterThan(80)
      }
      expect(s.observerNotes['zh-CN'].length).toBeGreaterThan(80)
      // The other side of the conversation holds what the manager does not know.
      expect(s.roles[1].brief.en).toMatch(/does not know/)
      expect(s.roles[1].brief['zh-CN']).toMatch(/都不知道/)
    }
    // Together they train every one of the ten key points.
    expect(new Set(scenarios.flatMap((s) => s.keyPoints)).size).toBe(10)
  })

  it('content:check reports a bad scenario file by file and line', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/content-check.ts', 'tests/fixtures/content/valid', 'content/cases', 'tests/fixtures/roleplays/bad'],
      { encoding: 'utf8' },
    )
    expect(run.status).toBe(1)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toEqual([
      'tests/fixtures/roleplays/bad/bad-roles.yaml:2: keyPoints[0]: must be 1–10',
      'tests/fixtures/roleplays/bad/bad-roles.yaml:3: title.zh-CN: missing zh-CN text',
      'tests/fixtures/roleplays/bad/bad-roles.yaml:9: roles[1].id: duplicate role id "manager"',
      'tests/fixtures/roleplays/bad/no-brief.yaml:9: roles[1].brief: missing text (en and zh-CN)',
      'tests/fixtures/roleplays/bad/one-role.yaml:5: roles: give two or three roles',
      'tests/fixtures/roleplays/bad/one-role.yaml:10: secret: unknown key (check the spelling against docs/content-format.md)',
      'content check failed: 6 problems',
    ])
  })

  it('syncs the files: a changed file updates its scenario, a browser edit is kept, a removed file retires its scenario', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'genjin-roleplays-'))
    try {
      await cp('content/roleplays', dir, { recursive: true })
      expect(await syncRoleplayScenarios(db, dir)).toEqual({ scenarios: 6 })
      // Idempotent: a second run adds nothing.
      await db.transaction((tx) => syncRoleplayScenarios(tx, dir))
      const rows = await db.select().from(roleplayScenarios)
      expect(rows.filter((r) => SHIPPED.includes(r.contentId))).toHaveLength(6)
      const byId = (contentId: string) =>
        db
          .select()
          .from(roleplayScenarios)
          .where(eq(roleplayScenarios.contentId, contentId))
          .then((r) => r[0])

      // A content author changes two files.
      for (const id of ['new-hire', 'remote-employee']) {
        const file = path.join(dir, `${id}.yaml`)
        await writeFile(file, (await readFile(file, 'utf8')).replace(/^ {2}en: .*$/m, '  en: Changed in the file'))
      }

      // Meanwhile HR edits one of them in the browser.
      const hr = await createPerson({ roles: ['hr_admin'] })
      const remote = await byId('remote-employee')
      const edited = await saveScenario(
        hr,
        remote.id,
        ScenarioForm.parse({
          intent: 'save',
          keyPoints: ['1', '6'],
          titleEn: 'Edited by HR',
          titleZh: 'HR 修改过',
          situationEn: remote.situation.en,
          situationZh: remote.situation['zh-CN'],
          roles: remote.roles.map((r) => ({ id: r.id, nameEn: r.name.en, nameZh: r.name['zh-CN'], briefEn: r.brief.en, briefZh: r.brief['zh-CN'] })),
          notesEn: 'HR notes',
          notesZh: 'HR 的备注',
        }),
      )
      expect(edited).toEqual({ ok: true, scenarioId: remote.id })

      await syncRoleplayScenarios(db, dir)
      expect((await byId('new-hire')).title.en).toBe('Changed in the file')
      const kept = await byId('remote-employee')
      expect(kept.title).toEqual({ en: 'Edited by HR', 'zh-CN': 'HR 修改过' })
      expect(kept.keyPoints).toEqual([1, 6])
      expect(kept.roles.map((r) => r.id)).toEqual(remote.roles.map((r) => r.id))

      // A removed file retires its scenario; putting it back brings it back.
      await rm(path.join(dir, 'new-hire.yaml'))
      await syncRoleplayScenarios(db, dir)
      expect((await byId('new-hire')).retiredAt).not.toBeNull()
      await cp('content/roleplays/new-hire.yaml', path.join(dir, 'new-hire.yaml'))
      await syncRoleplayScenarios(db, dir)
      const back = await byId('new-hire')
      expect(back.retiredAt).toBeNull()
      expect(back.title.en).toBe('Week three of probation')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses to sync while a file has a problem', async () => {
    await expect(syncRoleplayScenarios(db, 'tests/fixtures/roleplays/bad')).rejects.toThrow(/bad-roles.yaml:2: keyPoints\[0\]: must be 1–10/)
  })
})
