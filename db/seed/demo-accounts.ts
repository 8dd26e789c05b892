import type { Role } from '../schema/org'

// No server imports here: the demo page's client bundle reads these names.
export const DEMO_PASSWORD = 'genjin-demo-2026'

/** The people a visitor signs in as (the demo page lists them, one click per role). */
export const DEMO_ACCOUNTS: { role: Role; email: string; name: string }[] = [
  { role: 'hr_admin', email: 'hr.admin@example.com', name: '王丽 Wang Li' },
  { role: 'trainer', email: 'trainer@example.com', name: '陈静 Chen Jing' },
  { role: 'lecturer', email: 'lecturer@example.com', name: 'David Miller' },
  { role: 'manager', email: 'manager@example.com', name: '张伟 Zhang Wei' },
  { role: 'employee', email: 'employee@example.com', name: '林小雨 Lin Xiaoyu' },
]
