import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails } from '#db/schema'
import { hasMessage } from '~/i18n'
import { loader as downloadAttachment } from '~/routes/admin.outbox.$emailId.attachments.$index'
import { createPerson, requestAs, settle } from '../../../tests/setup/fixtures'

const ICS = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n'

describe('outbox', () => {
  it('lets HR download an attachment (invite.ics) and nobody else', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const [mail] = await db
      .insert(emails)
      .values({
        toAddress: 'x@example.test',
        locale: 'en',
        kind: 'session_invitation',
        subject: 'Hi',
        text: 'Hi',
        status: 'outbox',
        attachments: [{ filename: 'invite.ics', contentType: 'text/calendar; method=REQUEST', content: ICS }],
      })
      .returning()
    const get = async (who: { id: string }, index: string) =>
      settle(async () =>
        downloadAttachment({
          request: await requestAs(who, `/admin/outbox/${mail.id}/attachments/${index}`),
          params: { emailId: mail.id, index },
          context: {},
        }),
      )
    const response = (await get(hr, '0')) as Response
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/calendar; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toContain('filename="invite.ics"')
    expect(await response.text()).toBe(ICS)
    expect(((await get(hr, '1')) as Response).status).toBe(404)
    expect(((await get(hr, 'x')) as Response).status).toBe(404)
    expect(((await get(trainer, '0')) as Response).status).toBe(403)
  })

  it('has a label in both languages for every kind of email', () => {
    const source = readFileSync('app/modules/mail/email.server.ts', 'utf8')
    const union = source.slice(source.indexOf('export type EmailKind'), source.indexOf('\n\n', source.indexOf('export type EmailKind')))
    const kinds = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1])
    expect(kinds.length).toBeGreaterThan(10)
    expect(kinds.filter((k) => !hasMessage(`admin.outbox.kind.${k}`))).toEqual([])
  })
})
