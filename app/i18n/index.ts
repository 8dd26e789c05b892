import admin from './messages/admin'
import auth from './messages/auth'
import common from './messages/common'
import courses from './messages/courses'
import email from './messages/email'
import org from './messages/org'
import orgImport from './messages/org-import'
import sessions from './messages/sessions'
import attendance from './messages/attendance'
import attendanceReports from './messages/attendance-reports'
import authoring from './messages/authoring'
import videos from './messages/videos'
import surveys from './messages/surveys'
import notifications from './messages/notifications'
import briefings from './messages/briefings'
import backups from './messages/backups'
import followup from './messages/followup'
import home from './messages/home'
import cases from './messages/cases'
import groups from './messages/groups'
import files from './messages/files'
import kpi from './messages/kpi'
import roleplayScenarios from './messages/roleplay-scenarios'
import roleplayStudy from './messages/roleplay-study'
import roleplayGroups from './messages/roleplay-groups'
import roleplayRecording from './messages/roleplay-recording'
import titles from './messages/titles'
import { formatMessage, type Locale } from './define'

export * from './define'

// Each domain keeps its messages in its own file; add it here.
const domains = [
  common,
  auth,
  org,
  orgImport,
  email,
  admin,
  sessions,
  attendance,
  attendanceReports,
  courses,
  authoring,
  videos,
  surveys,
  notifications,
  briefings,
  backups,
  followup,
  home,
  files,
  cases,
  groups,
  kpi,
  roleplayScenarios,
  roleplayStudy,
  roleplayGroups,
  roleplayRecording,
  titles,
] as const

const catalog: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...domains.map((d) => d.en)),
  'zh-CN': Object.assign({}, ...domains.map((d) => d['zh-CN'])),
}

/**
 * Both languages' complete messages. Server code and tests only: the UI translates through
 * `./runtime` (the browser gets only the viewer's language, see `/i18n/<locale>`).
 */
export const catalogs: Readonly<Record<Locale, Readonly<Record<string, string>>>> = catalog

export type MessageKey = (typeof domains)[number] extends infer D ? (D extends { en: infer E } ? keyof E : never) : never
export type Translate = (key: MessageKey | (string & {}), vars?: Record<string, string | number>) => string

/** A translator for one locale. Unknown keys come back as written, so zod messages that are not keys still show. */
export function translator(locale: Locale): Translate {
  const messages = catalog[locale]
  return (raw, vars) => formatMessage((key) => messages[key] ?? catalog.en[key], raw, vars, locale)
}

export function hasMessage(key: string) {
  return key in catalog.en
}
