/**
 * Time-zone arithmetic from Intl alone (no tz database of our own): a session is stored as
 * instants and shown, typed and sent to calendars in its own IANA zone.
 */

const partFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string) {
  let formatter = partFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partFormatters.set(timeZone, formatter)
  }
  return formatter
}

export function isValidTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The wall-clock time in a zone at an instant. */
export function wallTime(instant: Date | number, timeZone: string): WallTime {
  const parts = partsFormatter(timeZone).formatToParts(new Date(instant))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') }
}

/** The zone's offset from UTC at an instant, in minutes (east of Greenwich is positive). */
export function zoneOffsetMinutes(timeZone: string, instant: Date | number) {
  const ms = Math.floor(new Date(instant).getTime() / 1000) * 1000
  const w = wallTime(ms, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - ms) / 60_000)
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/**
 * The instant at which a zone's clocks show `local` ("2027-03-04T09:00", as a datetime-local
 * input gives it). In a spring-forward gap the clocks never show that time; we return the
 * instant one offset later, which is what people mean ("09:30" that does not exist → 10:30 DST).
 */
export function zonedToInstant(local: string, timeZone: string): Date | null {
  const m = WALL.exec(local)
  if (!m) return null
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
  if (Number.isNaN(wall)) return null
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000
  const second = wall - zoneOffsetMinutes(timeZone, first) * 60_000
  return new Date(second)
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** "2027-03-04T09:00" for a datetime-local input showing the instant in the zone. */
export function instantToZoned(instant: Date | string, timeZone: string) {
  const w = wallTime(new Date(instant), timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** "2027年3月4日星期四 09:00–12:00 (Asia/Shanghai)": a session's time as its invitees read it. */
export function formatSessionTime(locale: string, startsAt: Date | string, endsAt: Date | string, timeZone: string) {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone })
  return `${format.formatRange(new Date(startsAt), new Date(endsAt))} (${timeZone})`
}

/** Zones offered in the session form; any valid IANA name is accepted. */
export const commonTimeZones = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
] as const
