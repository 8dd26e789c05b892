/**
 * Cross-site writes are refused before they reach a route (scripts/serve.ts): a browser tells us
 * where a request comes from with `Origin` and `Sec-Fetch-Site`. SameSite=Lax cookies already keep
 * sessions off cross-site POSTs; this is the second lock, and it also covers resource routes a
 * page elsewhere could post `text/plain` JSON to. Requests without either header (curl, old
 * browsers) pass: they carry no victim's cookie.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
// Server-to-server callers authenticated by signature, not by a browser session.
const EXEMPT_PATHS = [/^\/webhooks\//]

export type OriginCheck = { method: string; path: string; origin?: string; secFetchSite?: string; host?: string; protocol: string }

export function isCrossSiteWrite(request: OriginCheck, publicOrigin: string) {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false
  if (EXEMPT_PATHS.some((p) => p.test(request.path))) return false
  if (request.secFetchSite === 'cross-site' || request.secFetchSite === 'same-site') return true
  if (request.origin === undefined) return false
  if (request.origin === 'null') return true
  const allowed = new Set([publicOrigin])
  if (request.host) allowed.add(`${request.protocol}://${request.host}`)
  return !allowed.has(request.origin)
}
