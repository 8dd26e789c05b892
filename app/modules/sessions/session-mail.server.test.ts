/**
 * Invitation emails over real SMTP (a local smtp-server listener): the calendar file travels
 * as text/calendar with its METHOD, so mail clients treat it as an invitation.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverQueuedEmails } from '~/modules/mail/email.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { inviteAudience } from './invitations.server'
import { cancelSession } from './sessions.server'

const received: { to: string[]; raw: string }[] = []
let server: SMTPServer

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // Read by env() on first use, which no code in this file has made yet.
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** The decoded body of the MIME part with this content type. */
function part(raw: string, contentType: RegExp) {
  const unfolded = raw.replace(/\r\n[ \t]+/g, ' ')
  const blocks = unfolded.split(/\r\n--[^\r\n]+/)
  const block = blocks.find((b) => contentType.test(b.split('\r\n\r\n')[0]))
  if (!block) return null
  const [headers, ...body] = block.split('\r\n\r\n')
  const content = body.join('\r\n\r\n')
  return /content-transfer-encoding: base64/i.test(headers) ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8') : content
}

describe('session emails over SMTP', () => {
  it('delivers the invitation with a text/calendar METHOD:REQUEST part, then the cancellation with METHOD:CANCEL', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson({ name: '林小雨' })
    const { sessionId } = await scheduleSession(hr)
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    expect(await deliverQueuedEmails()).toBe(1)
    const invitation = received.find((m) => m.to.includes(person.email))!
    expect(invitation.raw).toMatch(/Content-Type: text\/calendar; charset=UTF-8; method=REQUEST/i)
    // Unfolded: the UID is longer than one 75-octet line.
    const calendar = part(invitation.raw, /text\/calendar/i)!.replace(/\r\n /g, '')
    expect(calendar).toContain('METHOD:REQUEST')
    expect(calendar).toContain(`UID:session-${sessionId}-${person.id}@genjin`)
    expect(calendar).toContain('BEGIN:VTIMEZONE')

    await cancelSession(hr, sessionId)
    expect(await deliverQueuedEmails()).toBe(1)
    const cancellation = received.filter((m) => m.to.includes(person.email))[1]
    expect(cancellation.raw).toMatch(/method=CANCEL/i)
    expect(part(cancellation.raw, /text\/calendar/i)).toContain('STATUS:CANCELLED')
  })
})
