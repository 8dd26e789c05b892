import { useActionData } from '@remix-run/react'

/** `reply` when it answers the form posting this `intent`, or names no intent (see useIntentReply). */
export function replyFor<Reply>(reply: Reply | undefined, intent: string) {
  const repliesTo = (reply as { intent?: unknown } | undefined)?.intent
  return reply && (repliesTo === intent || repliesTo === null) ? reply : undefined
}

/**
 * The route action's reply when it answers the form posting this `intent`, or when it names no
 * intent (a post that could not be read belongs to every form), so that each form on a page with
 * several shows only its own errors and notices. The action's reply carries `intent` for this.
 */
export function useIntentReply<Action>(intent: string) {
  return replyFor(useActionData<Action>(), intent)
}
