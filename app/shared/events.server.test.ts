import { describe, expect, it, vi } from 'vitest'
import type { Executor } from '#db/client.server'

describe('domain events', () => {
  it('refuses to emit before the subscriptions are wired, then runs every subscriber in order with the emitter’s executor', async () => {
    // A fresh copy of the bus: the test set-up has wired the shared one.
    vi.resetModules()
    const events = await import('./events.server')
    const tx = { name: 'the transaction' } as unknown as Executor
    await expect(events.emit(tx, 'org.people-changed', { userIds: ['u1'] })).rejects.toThrow(/before the subscriptions were wired/)

    const seen: unknown[] = []
    events.wireEvents(() => {
      events.on('org.people-changed', (executor, e) => seen.push(['first', executor, e]))
      events.on('org.people-changed', async (executor, e) => {
        await Promise.resolve()
        seen.push(['second', executor, e])
      })
      events.on('org.roles-changed', () => seen.push(['other event']))
    })
    await events.emit(tx, 'org.people-changed', { userIds: ['u1'] })
    expect(seen).toEqual([
      ['first', tx, { userIds: ['u1'] }],
      ['second', tx, { userIds: ['u1'] }],
    ])

    // A subscriber's error (a redirect Response, say) reaches the emitter.
    events.on('session.lecturer-entering', () => {
      throw new Response(null, { status: 302 })
    })
    await expect(events.emit(tx, 'session.lecturer-entering', { sessionId: 's', userId: 'u' })).rejects.toMatchObject({ status: 302 })
  })
})
