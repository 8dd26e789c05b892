/**
 * The video routes that only have actions (the matrix covers loaders): each role posting to
 * them gets the expected outcome.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import type { CurrentUser, Role } from '~/modules/auth/permissions'
import { importSampleVideos } from '~/modules/videos/content.server'
import { createPerson, requestAs } from '../setup/fixtures'

// Uploads started here land in a temporary directory.
process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-uploads-'))

type Outcome = 'allow' | 'deny' | 'login'
type Who = 'anonymous' | Role
const watchers: Record<Who, Outcome> = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'allow', employee: 'allow' }
const trainersAndHr: Record<Who, Outcome> = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'deny', employee: 'deny' }

const cases: { file: string; url: string; params: Record<string, string>; body: unknown; expected: Record<Who, Outcome> }[] = [
  {
    file: 'videos.$videoId.progress.ts',
    url: '/videos/follow-up-positive/progress',
    params: { videoId: 'follow-up-positive' },
    body: { ranges: [], position: 0 },
    expected: watchers,
  },
  {
    file: 'videos.$videoId.respond.ts',
    url: '/videos/follow-up-positive/respond',
    params: { videoId: 'follow-up-positive' },
    body: { intent: 'acknowledge', breakpointId: 'pos-feedback' },
    expected: watchers,
  },
  {
    file: 'videos.$videoId.notes.ts',
    url: '/videos/follow-up-positive/notes',
    params: { videoId: 'follow-up-positive' },
    body: { timeSeconds: 3, text: 'note', visibility: 'private' },
    expected: trainersAndHr,
  },
  { file: 'videos.uploads.ts', url: '/videos/uploads', params: {}, body: { size: 1000 }, expected: trainersAndHr },
  {
    file: 'videos.$videoId.edit.tsx',
    url: '/videos/follow-up-positive/edit',
    params: { videoId: 'follow-up-positive' },
    body: { intent: 'move', breakpointId: 'pos-opening', timeSeconds: 22.75 },
    expected: trainersAndHr,
  },
]

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    const result = await run()
    if (result instanceof Response) return result.status < 300 ? 'allow' : String(result.status)
    return 'allow'
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    if (thrown.status === 403) return 'deny'
    if (thrown.status >= 300 && thrown.status < 400 && (thrown.headers.get('Location') ?? '').startsWith('/login')) return 'login'
    return String(thrown.status)
  }
}

describe('video actions by role', () => {
  const people = {} as Record<Role, CurrentUser>
  beforeAll(async () => {
    await importSampleVideos(db)
    for (const role of ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee'] as Role[]) people[role] = await createPerson({ roles: [role] })
  })

  for (const c of cases) {
    for (const who of Object.keys(c.expected) as Who[]) {
      it(`${c.file} action: ${who} → ${c.expected[who]}`, async () => {
        const route = await import(/* @vite-ignore */ `../../app/routes/${c.file}`)
        const request = await requestAs(who === 'anonymous' ? null : people[who], c.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(c.body),
        })
        expect(await outcomeOf(() => route.action({ request, params: c.params, context: {} }))).toBe(c.expected[who])
      })
    }
  }

  it('refuses a progress post that is not JSON (no cross-site form posts)', async () => {
    const route = await import('../../app/routes/videos.$videoId.progress')
    const request = await requestAs(people.manager, '/videos/follow-up-positive/progress', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"ranges":[]}',
    })
    expect(await outcomeOf(() => route.action({ request, params: { videoId: 'follow-up-positive' }, context: {} }))).toBe('415')
  })
})
