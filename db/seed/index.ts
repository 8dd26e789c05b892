import { registerEventHandlers } from '../../app/events.server'
import type { Database } from '../client.server'
import { seedCourseAssignments } from './course-assignments'
import { DEMO_PASSWORD, seedDemoCompany } from './demo-company'
import { seedDemoProgramme } from './demo-programme'
import { seedDemoFollowUp } from './demo-followup'
import { seedDemoCaseAnalysis } from './demo-case-analysis'
import { seedDemoKpi } from './demo-kpi'
import { seedDemoRoleplay } from './demo-roleplay'

// The demo writes through the domain modules, whose changes emit domain events.
registerEventHandlers()

/**
 * The demo, in order: each step seeds its own domain once and says what it did (or null when it
 * skipped). A new domain adds one line here, after the steps its data builds on.
 */
export const DEMO_STEPS: { name: string; run: (db: Database) => Promise<unknown>; done: (result: unknown) => string | null }[] = [
  {
    name: 'company',
    run: seedDemoCompany,
    done: (r) => (r ? `Seeded the demo company (password for every demo account: ${DEMO_PASSWORD}).` : 'Database already has people; demo seed skipped.'),
  },
  { name: 'course assignments', run: seedCourseAssignments, done: (r) => (r !== false ? `Assigned the demo courses (${r} enrolments).` : null) },
  { name: 'training programme', run: seedDemoProgramme, done: (r) => (r ? 'Seeded the training programme: sessions, attendance, surveys, progress.' : null) },
  {
    name: 'case analysis',
    run: seedDemoCaseAnalysis,
    done: (r) => (r ? 'Seeded the demo case analysis (groups, cases, submissions, one released grade).' : null),
  },
  { name: 'follow-up', run: seedDemoFollowUp, done: (r) => (r ? 'Seeded the follow-up demo (plans, check-ins, ratings).' : null) },
  {
    name: 'role-play',
    run: seedDemoRoleplay,
    done: (r) => (r ? 'Seeded the role-play demo (groups with scenarios, self-study progress, a reviewed recording, a live-scored skit).' : null),
  },
  // Last: it dates the demo company's org history back and publishes from everything above.
  { name: 'KPI', run: seedDemoKpi, done: (r) => (r ? 'Seeded the KPI demo (last quarter published with a correction, this quarter in preview).' : null) },
]

/** Runs every demo step; each one checks for itself whether it applies. */
export async function seedDemo(db: Database, log: (line: string) => void = () => {}) {
  for (const step of DEMO_STEPS) {
    const line = step.done(await step.run(db))
    if (line) log(line)
  }
}
