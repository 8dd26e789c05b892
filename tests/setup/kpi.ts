import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { orgHistory } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { PeriodForm } from '~/modules/kpi/kpi'
import { savePeriod } from '~/modules/kpi/periods.server'

/** A KPI period's policy as the tests write it: weights in percent; everything else as HR's defaults. */
export type TestPolicy = {
  key: string
  startsOn: string
  endsOn: string
  weights: Record<string, number>
  lateFraction?: number
  courseLateFraction?: number
  excused?: 'exclude' | 'count'
  cohortIds?: string[]
}

/** The policy form HR submits, parsed as the route parses it (bands A ≥ 90, B ≥ 75, C ≥ 60). */
export function periodForm(policy: TestPolicy) {
  return PeriodForm.parse({
    intent: 'save',
    key: policy.key,
    startsOn: policy.startsOn,
    endsOn: policy.endsOn,
    lateFraction: String(policy.lateFraction ?? 0.5),
    courseLateFraction: String(policy.courseLateFraction ?? 0.5),
    excused: policy.excused ?? 'exclude',
    bandA: '90',
    bandB: '75',
    bandC: '60',
    weight: Object.fromEntries(Object.entries(policy.weights).map(([k, v]) => [k, String(v)])),
    enabled: Object.fromEntries(Object.keys(policy.weights).map((k) => [k, 'on'])),
    ...(policy.cohortIds ? { cohortIds: policy.cohortIds } : {}),
  })
}

/** Saves a new period with the policy as `hr`; its id. */
export async function savedPeriod(hr: CurrentUser, policy: TestPolicy): Promise<string> {
  const saved = await savePeriod(hr, null, periodForm(policy))
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors))
  return saved.periodId
}

/** Replaces a person's effective-dated history (what the triggers record) with explicit stretches. */
export async function setHistory(userId: string, stretches: { departmentId: string; isManager: boolean; from: string; to?: string }[]) {
  await db.delete(orgHistory).where(eq(orgHistory.userId, userId))
  await db.insert(orgHistory).values(
    stretches.map((s) => ({
      userId,
      departmentId: s.departmentId,
      isManager: s.isManager,
      validFrom: new Date(s.from),
      validTo: s.to ? new Date(s.to) : null,
    })),
  )
}
