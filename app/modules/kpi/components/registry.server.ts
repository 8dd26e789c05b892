import { attendanceComponent } from './attendance.server'
import { completionComponent } from './completion.server'
import { followUpAdherenceComponent, followUpConfirmationComponent, followUpCoverageComponent, followUpRatingComponent } from './followup.server'
import { learningComponent } from './learning.server'
import { participationComponent } from './participation.server'
import { roleplayDeliveryComponent, roleplayScoreComponent, roleplayStudyComponent } from './roleplay.server'
import type { KpiComponent } from './types'

/** The KPI components, in the order the scorecard shows them. Add a component here with one line. */
export const kpiComponents: KpiComponent[] = [
  attendanceComponent,
  completionComponent,
  learningComponent,
  participationComponent,
  roleplayDeliveryComponent,
  roleplayScoreComponent,
  roleplayStudyComponent,
  // Follow-up behaviour (issue 15): optional, weight 0 and disabled in a new policy.
  followUpCoverageComponent,
  followUpAdherenceComponent,
  followUpConfirmationComponent,
  followUpRatingComponent,
]

export function componentByKey(key: string) {
  return kpiComponents.find((c) => c.key === key)
}
