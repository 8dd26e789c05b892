import express from 'express'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/env.server'
import { isCrossSiteWrite } from './origin.server'

const APP = 'https://genjin.example.com'
const post = (extra: Partial<Parameters<typeof isCrossSiteWrite>[0]>) => ({
  method: 'POST',
  path: '/videos/x/progress',
  protocol: 'https',
  host: 'genjin.example.com',
  ...extra,
})

describe('cross-site writes', () => {
  it('refuses a foreign or opaque Origin and cross-site fetch metadata, on pages and resource routes', () => {
    expect(isCrossSiteWrite(post({ origin: 'https://evil.example' }), APP)).toBe(true)
    expect(isCrossSiteWrite(post({ origin: 'null' }), APP)).toBe(true)
    expect(isCrossSiteWrite(post({ secFetchSite: 'cross-site' }), APP)).toBe(true)
    expect(isCrossSiteWrite(post({ secFetchSite: 'same-site', origin: 'https://other.example.com' }), APP)).toBe(true)
  })

  it('lets same-origin forms, reads, non-browser clients and signed webhooks through', () => {
    expect(isCrossSiteWrite(post({ origin: APP, secFetchSite: 'same-origin' }), APP)).toBe(false)
    expect(isCrossSiteWrite(post({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', protocol: 'http' }), 'http://localhost:3000')).toBe(false)
    expect(isCrossSiteWrite(post({}), APP)).toBe(false)
    expect(isCrossSiteWrite({ ...post({ origin: 'https://evil.example' }), method: 'GET' }, APP)).toBe(false)
    expect(isCrossSiteWrite(post({ path: '/webhooks/mux', origin: 'https://mux.com' }), APP)).toBe(false)
  })
})

describe('TRUST_PROXY', () => {
  it('is a hop count: the client address is taken that many hops from the right, never any client claim', async () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0)
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1)
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
    expect(() => parseEnv({ TRUST_PROXY: 'all' })).toThrow(/TRUST_PROXY/)
    // What Express makes of the hop count (scripts/serve.ts sets `trust proxy` to it).
    const app = express()
    app.set('trust proxy', parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY)
    app.get('/', (req, res) => {
      res.send(req.ip)
    })
    const server = app.listen(0)
    try {
      const port = (server.address() as { port: number }).port
      const ip = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Forwarded-For': '6.6.6.6, 198.51.100.9' } })).text()
      expect(ip).toBe('198.51.100.9')
    } finally {
      server.close()
    }
  })
})
