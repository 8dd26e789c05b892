import { eq } from 'drizzle-orm'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails } from '#db/schema'

const received: { to: string[]; raw: string }[] = []
let server: SMTPServer
let port = 0

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.server.address() as { port: number }).port
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('email delivery over SMTP', () => {
  it('sends a queued email in the recipient’s language exactly once', async () => {
    // Imported after SMTP_URL is set: the configuration is read once.
    const { sendTemplatedEmail, deliverQueuedEmails } = await import('./email.server')
    const id = await sendTemplatedEmail({
      to: { email: 'li.na@example.test', name: '李娜', locale: 'zh-CN' },
      kind: 'password_reset',
      vars: { name: '李娜', link: 'http://genjin.test/reset-password/abc', minutes: 60 },
    })
    const [queued] = await db.select().from(emails).where(eq(emails.id, id))
    expect(queued.status).toBe('queued')

    expect(await Promise.all([deliverQueuedEmails(), deliverQueuedEmails()])).toSatisfy((counts: number[]) => counts.reduce((a, b) => a + b, 0) === 1)
    expect(await deliverQueuedEmails()).toBe(0)
    expect(received).toHaveLength(1)
    expect(received[0].to).toEqual(['li.na@example.test'])
    expect(received[0].raw).toMatch(/Subject: =\?UTF-8\?/)
    const [sent] = await db.select().from(emails).where(eq(emails.id, id))
    expect(sent.status).toBe('sent')
    expect(sent.subject).toBe('重置你的跟进平台密码')
  })
})
