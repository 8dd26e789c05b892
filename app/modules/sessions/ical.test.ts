import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { buildCalendar, escapeText, foldLine, sessionUid, type CalendarInvitation } from './ical'
import { zonedToInstant } from '~/shared/time'

const sessionId = '5b0c7a52-3f7e-4a57-9d6c-0d1f2e3a4b5c'
const userId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'

function invitation(overrides: Partial<CalendarInvitation> = {}): CalendarInvitation {
  return {
    method: 'REQUEST',
    uid: sessionUid(sessionId, userId),
    sequence: 3,
    stamp: new Date('2027-02-01T08:00:00Z'),
    start: new Date('2027-03-04T01:00:00Z'),
    end: new Date('2027-03-04T04:00:00Z'),
    timeZone: 'Asia/Shanghai',
    summary: '如何有效地进行绩效跟进, 第一讲; 经理培训',
    description:
      '请提前十分钟到场。本节课讲授绩效跟进的十个要点：制定跟进计划、定期检查进度、双向沟通、聚焦解决问题、及时反馈、尊重与信任、用数据和事实说话、以改进为目标、关心成长、持续沟通直到目标达成。\n回复邀请：https://genjin.example.com/my/sessions',
    location: '上海总部 3 楼 培训室 A',
    url: 'https://genjin.example.com/my/sessions',
    organizer: { name: 'Genjin', email: 'no-reply@genjin.local' },
    attendee: { name: '林小雨 Lin Xiaoyu', email: 'employee@example.com', partstat: 'NEEDS-ACTION', rsvp: false },
    ...overrides,
  }
}

/** Parses with ical.js, registering the calendar's own VTIMEZONE so TZIDs resolve through it alone. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  ICAL.TimezoneService.reset()
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtimezone)
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!)
  return { calendar, event, vevent: calendar.getFirstSubcomponent('vevent')! }
}

describe('iCalendar invitations', () => {
  it('carries METHOD:REQUEST, a stable per-attendee UID and the SEQUENCE', () => {
    const { calendar, event, vevent } = parse(buildCalendar(invitation()))
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0')
    expect(event.uid).toBe(`session-${sessionId}-${userId}@genjin`)
    expect(event.sequence).toBe(3)
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(event.summary).toBe('如何有效地进行绩效跟进, 第一讲; 经理培训')
    expect(event.location).toBe('上海总部 3 楼 培训室 A')
    expect(vevent.getFirstPropertyValue('url')).toBe('https://genjin.example.com/my/sessions')
  })

  it('gives DTSTART and DTEND in the session’s zone with a VTIMEZONE, at the right instants', () => {
    const { calendar, event, vevent } = parse(buildCalendar(invitation()))
    const dtstart = vevent.getFirstProperty('dtstart')!
    expect(dtstart.getParameter('tzid')).toBe('Asia/Shanghai')
    expect(event.startDate.toString()).toBe('2027-03-04T09:00:00')
    expect(event.startDate.toUnixTime()).toBe(Date.parse('2027-03-04T01:00:00Z') / 1000)
    expect(event.endDate.toUnixTime()).toBe(Date.parse('2027-03-04T04:00:00Z') / 1000)
    // China has had no DST since 1991: one fixed +0800 STANDARD observance.
    const vtimezone = calendar.getFirstSubcomponent('vtimezone')!
    expect(vtimezone.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai')
    expect(vtimezone.getAllSubcomponents('daylight')).toHaveLength(0)
    const standard = vtimezone.getAllSubcomponents('standard')
    expect(standard).toHaveLength(1)
    expect(standard[0].getFirstPropertyValue('tzoffsetto')!.toString()).toBe('+08:00')
  })

  it('writes a VTIMEZONE with daylight saving that resolves both sides of the change', () => {
    // Berlin switches to summer time on 2027-03-28; one session before, one after.
    for (const [local, utc] of [
      ['2027-03-20T10:00', '2027-03-20T09:00:00Z'],
      ['2027-04-03T10:00', '2027-04-03T08:00:00Z'],
    ]) {
      const start = zonedToInstant(local, 'Europe/Berlin')!
      expect(start.toISOString()).toBe(new Date(utc).toISOString())
      const { calendar, event } = parse(buildCalendar(invitation({ timeZone: 'Europe/Berlin', start, end: new Date(start.getTime() + 3600_000) })))
      expect(calendar.getFirstSubcomponent('vtimezone')!.getAllSubcomponents('daylight').length).toBeGreaterThan(0)
      expect(event.startDate.toString()).toBe(`${local}:00`)
      expect(event.startDate.toUnixTime()).toBe(Date.parse(utc) / 1000)
    }
  })

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED under the same UID and a higher SEQUENCE', () => {
    const { calendar, event, vevent } = parse(buildCalendar(invitation({ method: 'CANCEL', sequence: 4 })))
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(event.uid).toBe(sessionUid(sessionId, userId))
    expect(event.sequence).toBe(4)
  })

  it('names the organizer and the attendee with PARTSTAT and RSVP', () => {
    const { vevent } = parse(
      buildCalendar(invitation({ attendee: { name: 'Lin, "Xiaoyu"', email: 'employee@example.com', partstat: 'ACCEPTED', rsvp: false } })),
    )
    const attendee = vevent.getFirstProperty('attendee')!
    expect(attendee.getFirstValue()).toBe('mailto:employee@example.com')
    expect(attendee.getParameter('partstat')).toBe('ACCEPTED')
    expect(attendee.getParameter('rsvp')).toBe('FALSE')
    expect(attendee.getParameter('cn')).toBe("Lin, 'Xiaoyu'")
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:no-reply@genjin.local')
  })

  it('ends lines with CRLF and folds long Chinese lines at 75 octets without splitting a character', () => {
    const text = buildCalendar(invitation())
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    const bytes = Buffer.from(text, 'utf8')
    const physical: Buffer[] = []
    let start = 0
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        physical.push(bytes.subarray(start, i))
        start = i + 2
      }
    }
    const decoder = new TextDecoder('utf-8', { fatal: true })
    for (const line of physical) {
      expect(line.length).toBeLessThanOrEqual(75)
      expect(() => decoder.decode(line)).not.toThrow()
    }
    expect(physical.filter((l) => l[0] === 0x20).length).toBeGreaterThan(3)
    // Unfolded, the description comes back whole.
    const { event } = parse(text)
    expect(event.description).toBe(invitation().description)
  })

  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne')
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75))
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`)
    // 25 three-octet characters fill a line exactly; the 26th moves on.
    expect(foldLine('跟'.repeat(26))).toBe(`${'跟'.repeat(25)}\r\n 跟`)
  })
})
