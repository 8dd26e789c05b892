import type { Executor } from '#db/client.server'

/**
 * Domain events (docs/decisions/060-domain-events.md): a lower domain says what happened and
 * knows no listener; a higher domain that must react subscribes at start-up, in one place
 * (app/events.server.ts). Handlers run one after the other, awaited, with the executor the
 * emitter passed — inside its transaction when it emits inside one — so a reaction commits or
 * rolls back with the change that caused it. A handler may throw (a `Response` too): the error
 * reaches the emitter as if it had called the handler itself.
 *
 * Every event is listed here with what it carries (ids, never rows), so the catalogue is one
 * read. Add an event: a line below, `emit` where it happens, `on` in app/events.server.ts.
 */
export type DomainEvents = {
  /** org: these people's roles were granted or revoked. */
  'org.roles-changed': { userIds: string[] }
  /** org: people were added, changed, (de)activated; without `userIds`, anyone may have (an org import). */
  'org.people-changed': { userIds?: string[] }
  /** sessions: a session moved to another programme (course reference) or was cancelled. */
  'session.changed': { sessionId: string; change: 'course-ref' | 'cancelled' }
  /** sessions: an external lecturer who teaches the session is about to open it (a subscriber may redirect). */
  'session.lecturer-entering': { sessionId: string; userId: string }
  /** attendance: these people's marks at the session were written (check-in, trainer, walk-in, excused absence). */
  'attendance.changed': { sessionId: string; courseRef: string | null; userIds: string[] }
  /** videos: a person started watching a video (first report) or completed it. */
  'video.progress-changed': { videoId: string; userId: string; change: 'started' | 'completed' }
  /** videos (Mux webhook): a direct upload became an asset. */
  'mux.upload-asset-created': { uploadId: string; assetId: string }
  /** videos (Mux webhook): an asset is ready; without a playback id it is still processing. Duration in seconds, Mux's. */
  'mux.asset-ready': {
    assetId: string
    uploadId: string | null
    playbackId: string | null
    playbackPolicy: string | null
    durationSeconds: number | null
    eventId: string
  }
  /** videos (Mux webhook): an asset or a direct upload (`id` is either) failed. */
  'mux.asset-errored': { id: string; uploadId: string | null; eventId: string }
}
export type DomainEventType = keyof DomainEvents
export type DomainEventHandler<T extends DomainEventType> = (executor: Executor, event: DomainEvents[T]) => unknown

const handlers = new Map<DomainEventType, DomainEventHandler<never>[]>()
let wired = false

/** Subscribes a handler (at start-up, from app/events.server.ts). */
export function on<T extends DomainEventType>(type: T, handler: DomainEventHandler<T>) {
  handlers.set(type, [...(handlers.get(type) ?? []), handler as DomainEventHandler<never>])
}

/**
 * Runs every subscriber of the event, in the order they subscribed, with `executor` (pass the
 * transaction when there is one). Refuses to run before the subscriptions are wired: a process
 * that forgot to wire them would otherwise skip the reactions silently.
 */
export async function emit<T extends DomainEventType>(executor: Executor, type: T, event: DomainEvents[T]) {
  if (!wired)
    throw new Error(`domain event ${type} emitted before the subscriptions were wired: call registerEventHandlers() (app/events.server.ts) at start-up`)
  for (const handler of handlers.get(type) ?? []) await (handler as DomainEventHandler<T>)(executor, event)
}

/** Runs `subscribe` once per process and marks the subscriptions wired (app/events.server.ts). */
export function wireEvents(subscribe: () => void) {
  if (wired) return
  subscribe()
  wired = true
}
