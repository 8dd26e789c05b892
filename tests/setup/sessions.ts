import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { sessions } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import type { SessionInput } from '~/modules/sessions/sessions'
import { createSession } from '~/modules/sessions/sessions.server'
import { instantToZoned } from '~/shared/time'

/** Schedules a session through the module (as HR or a trainer); starts tomorrow unless told otherwise. */
export async function scheduleSession(
  actor: CurrentUser,
  options: Partial<Omit<SessionInput, 'startsAt' | 'endsAt'>> & { startsAt?: Date; minutes?: number } = {},
) {
  const { startsAt: start = new Date(Date.now() + 86_400_000), minutes = 120, ...rest } = options
  const timeZone = rest.timeZone ?? 'Asia/Shanghai'
  // Whole minutes: datetime-local inputs carry no seconds.
  const startsAt = new Date(Math.floor(start.getTime() / 60_000) * 60_000)
  // A session in the past cannot be scheduled: schedule it tomorrow, then move it back in time.
  const past = startsAt.getTime() < Date.now()
  const scheduledAt = past ? new Date(Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000) : startsAt
  const result = await createSession(actor, {
    title: '如何有效地进行绩效跟进',
    place: '上海总部 3 楼培训室',
    trainerIds: [],
    ...rest,
    timeZone,
    startsAt: instantToZoned(scheduledAt, timeZone),
    endsAt: instantToZoned(new Date(scheduledAt.getTime() + minutes * 60_000), timeZone),
  })
  if (!result.ok) throw new Error(`could not schedule: ${JSON.stringify(result.errors)}`)
  if (past)
    await db
      .update(sessions)
      .set({ startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000) })
      .where(eq(sessions.id, result.sessionId))
  return { sessionId: result.sessionId, startsAt }
}
