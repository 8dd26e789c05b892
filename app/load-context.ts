import { publicOrigin } from './env.server'
import type { AppLoadContext } from '@remix-run/node'

declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce?: string
    clientIp?: string
  }
}

/** The caller's address as the server saw it (behind a proxy only when TRUST_PROXY is set). */
export function clientIp(context: AppLoadContext | undefined) {
  return context?.clientIp || 'unknown'
}

/** The app's public origin for links in emails (APP_URL; never the request's Host). */
export function appUrl() {
  return publicOrigin()
}
