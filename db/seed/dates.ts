const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * `time` (HH:MM) in Shanghai, `days` from today there. Demo deadlines and sessions fall at an hour
 * someone would choose (a course due at 18:00), not at the moment the seed happened to run.
 */
export function shanghaiAt(days: number, time: string) {
  const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10)
  return new Date(new Date(`${today}T${time}:00+08:00`).getTime() + days * DAY)
}
