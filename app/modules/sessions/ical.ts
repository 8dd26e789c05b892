/**
 * iCalendar (RFC 5545) invitations for sessions, written by hand: the format is small, and
 * what calendar clients need from us is exact (stable UID, rising SEQUENCE, METHOD, a
 * VTIMEZONE for TZID, CRLF, 75-octet folding on UTF-8 boundaries).
 */
import { zoneOffsetMinutes } from '~/shared/time'

export type PartStat = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE'

export type CalendarInvitation = {
  method: 'REQUEST' | 'CANCEL'
  uid: string
  sequence: number
  /** When this version was produced (DTSTAMP). */
  stamp: Date
  start: Date
  end: Date
  timeZone: string
  summary: string
  description?: string | null
  location?: string | null
  url?: string | null
  organizer: { name: string; email: string }
  attendee: { name: string; email: string; partstat: PartStat; rsvp: boolean }
}

/** One UID per session and attendee, so each person's calendar entry can be updated or cancelled on its own. */
export function sessionUid(sessionId: string, userId: string) {
  return `session-${sessionId}-${userId}@genjin`
}

/** TEXT value escaping (RFC 5545 3.3.11). */
export function escapeText(value: string) {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** Parameter values are quoted; a DQUOTE cannot appear inside, and control characters never. */
function paramValue(value: string) {
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, "'")}"`
}

function utf8Length(codePoint: number) {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
}

/**
 * Folds a content line so no physical line exceeds 75 octets (CRLF excluded), splitting only
 * between characters: a Chinese character is 3 octets and must never be cut in half.
 */
export function foldLine(line: string) {
  let out = ''
  let octets = 0
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!)
    if (octets + size > 75) {
      out += '\r\n '
      octets = 1
    }
    out += char
    octets += size
  }
  return out
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0')

function utcStamp(date: Date) {
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
}

/** Local (floating) date-time of an instant seen at a fixed offset. */
function localStamp(instant: number, offsetMinutes: number) {
  const d = new Date(instant + offsetMinutes * 60_000)
  return utcStamp(d).slice(0, -1)
}

function formatOffset(minutes: number) {
  const sign = minutes < 0 ? '-' : '+'
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`
}

type Transition = { at: number; from: number; to: number }

/** Offset changes of a zone between two instants, found day by day and narrowed to the minute. */
function transitions(timeZone: string, from: number, to: number): Transition[] {
  const DAY = 86_400_000
  const found: Transition[] = []
  let previous = zoneOffsetMinutes(timeZone, from)
  for (let t = from + DAY; t <= to; t += DAY) {
    const offset = zoneOffsetMinutes(timeZone, t)
    if (offset === previous) continue
    let low = t - DAY
    let high = t
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 120_000) * 60_000
      if (zoneOffsetMinutes(timeZone, mid) === previous) low = mid
      else high = mid
    }
    found.push({ at: high, from: previous, to: offset })
    previous = offset
  }
  return found
}

/**
 * A VTIMEZONE computed from Intl for the years around the event: the offset in force before
 * them, then every transition as its own observance. A zone without DST (Asia/Shanghai) gets
 * one fixed STANDARD component.
 */
export function vtimezone(timeZone: string, start: Date, end: Date): string[] {
  // The scan costs a few milliseconds; an invitation batch reuses it for every attendee.
  const key = `${timeZone}|${start.getUTCFullYear()}|${end.getUTCFullYear()}`
  const cached = vtimezoneCache.get(key)
  if (cached) return cached
  const from = Date.UTC(start.getUTCFullYear() - 1, 0, 1)
  const to = Date.UTC(end.getUTCFullYear() + 2, 0, 1)
  const initial = zoneOffsetMinutes(timeZone, from)
  const changes = transitions(timeZone, from, to)
  const standard = Math.min(initial, ...changes.map((c) => c.to))
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`]
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', onset: string, offsetFrom: number, offsetTo: number) => {
    lines.push(`BEGIN:${kind}`, `DTSTART:${onset}`, `TZOFFSETFROM:${formatOffset(offsetFrom)}`, `TZOFFSETTO:${formatOffset(offsetTo)}`, `END:${kind}`)
  }
  observance(initial > standard ? 'DAYLIGHT' : 'STANDARD', '19700101T000000', initial, initial)
  for (const change of changes) {
    // DTSTART of an observance is the local time of the onset, read on the clocks before it.
    observance(change.to > standard ? 'DAYLIGHT' : 'STANDARD', localStamp(change.at, change.from), change.from, change.to)
  }
  lines.push('END:VTIMEZONE')
  vtimezoneCache.set(key, lines)
  return lines
}

const vtimezoneCache = new Map<string, string[]>()

function zonedStamp(instant: Date, timeZone: string) {
  return localStamp(instant.getTime(), zoneOffsetMinutes(timeZone, instant))
}

/** The whole VCALENDAR, CRLF-terminated and folded, ready to attach as text/calendar. */
export function buildCalendar(event: CalendarInvitation): string {
  const cancelled = event.method === 'CANCEL'
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Genjin//Classroom sessions//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    ...vtimezone(event.timeZone, event.start, event.end),
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART;TZID=${event.timeZone}:${zonedStamp(event.start, event.timeZone)}`,
    `DTEND;TZID=${event.timeZone}:${zonedStamp(event.end, event.timeZone)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    `ORGANIZER;CN=${paramValue(event.organizer.name)}:mailto:${event.organizer.email}`,
    `ATTENDEE;CN=${paramValue(event.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${event.attendee.partstat};RSVP=${event.attendee.rsvp ? 'TRUE' : 'FALSE'}:mailto:${event.attendee.email}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
