/**
 * Every route, requested by anonymous and by each role, gets the expected outcome.
 * A route file without an entry here fails the test: add new routes to the matrix.
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser, Role } from '~/modules/auth/permissions'
import { createSession } from '~/modules/sessions/sessions.server'
import { saveBriefing } from '~/modules/briefings/briefings.server'
import { fixtureCourse } from '../setup/courses'
import { db } from '#db/client.server'
import { importSampleVideos } from '~/modules/videos/content.server'
import { createPerson, postAs, requestAs } from '../setup/fixtures'
import { setContentReader } from '~/modules/followup/access.server'
import { getEmployeeFollowUp, logCheckIn, savePlan } from '~/modules/followup/plans.server'
import { caseMatrixContext } from '../setup/case-analysis'
import { maySeeSlides } from '~/modules/assignments/assignments.server'
import { registerFileAccess } from '~/modules/files/access.server'
import { roleplayStudyMatrixContext } from '../setup/roleplay-study'
import { roleplayMatrixContext } from '../setup/roleplay'
import { sql } from 'drizzle-orm'
import { PeriodForm } from '~/modules/kpi/kpi'
import { publishPeriod, savePeriod } from '~/modules/kpi/periods.server'
import { listScenarios, syncRoleplayScenarios } from '~/modules/roleplay/scenario-library.server'

// Stored files (the matrix group's slides) go to a directory of this run, not ./data.
process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-matrix-'))
// Who may read slides, as the app registers it at start-up (app/jobs.server.ts).
registerFileAccess('slides', maySeeSlides)

type Outcome = 'allow' | 'deny' | 'login' | 'redirect' | 'notfound' | 'none' | 'invalid'
/** Besides the roles: an HR admin holding the personal grant to read check-in contents (docs/follow-up-privacy.md). */
type Who = 'anonymous' | Role | 'hr_reader'
type Expectations = Record<Exclude<Who, 'hr_reader'>, Outcome> & { hr_reader?: Outcome }
type Context = {
  people: Record<Exclude<Who, 'anonymous'>, CurrentUser>
  otherPersonId: string
  sessionId: string
  followUp: { reportId: string; heldId: string; openId: string; hr2Id: string; otherReportId: string; otherOpenId: string; otherPlanId: string }
  kpiPeriodId: string
  kpiManagerId: string
  cases: Awaited<ReturnType<typeof caseMatrixContext>>
  scenarioId: string
  roleplayStudy: Awaited<ReturnType<typeof roleplayStudyMatrixContext>>
  roleplay: Awaited<ReturnType<typeof roleplayMatrixContext>>
}
/** An action to post (form fields, or a JSON body) and what each person gets. */
type ActionCheck = { fields?: (ctx: Context) => Record<string, string>; json?: (ctx: Context) => unknown; expect: Expectations }
/** Texts the loader must not return to these people, although they may open the page. */
type Secrets = { from: Who[]; text: (ctx: Context) => string[] }
type Entry = {
  url: (ctx: Context) => string
  params?: (ctx: Context) => Record<string, string>
  loader: Expectations
  action?: ActionCheck
  secrets?: Secrets
}

/** What the matrix manager wrote in the logged check-in: contents that only its readers may get. */
const MATRIX_CHECK_IN = 'Matrix check-in: 3 of 5 key accounts signed, pricing is the obstacle'

const everyone = (outcome: Outcome, anonymous: Outcome = outcome): Expectations => ({
  anonymous,
  hr_admin: outcome,
  trainer: outcome,
  lecturer: outcome,
  manager: outcome,
  employee: outcome,
})
const signedIn = everyone('allow', 'login')
const anonymousOnly: Expectations = { ...everyone('redirect'), anonymous: 'allow' }
const hrOnly: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'deny', lecturer: 'deny', manager: 'deny', employee: 'deny' }
// Teaching videos: everybody but external lecturers watches; trainers and HR edit, present and report.
const watchers: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'allow', employee: 'allow' }
const trainersAndHr: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'deny', employee: 'deny' }
const managersAndHr: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'deny', lecturer: 'deny', manager: 'allow', employee: 'deny' }
// The matrix session is taught by the matrix trainer, not by the matrix lecturer.
const sessionStaff: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'deny', employee: 'deny' }
const sessionParams = (ctx: Context) => ({ sessionId: ctx.sessionId })
const managerOnly: Expectations = { anonymous: 'login', hr_admin: 'deny', trainer: 'deny', lecturer: 'deny', manager: 'allow', employee: 'deny' }
const hrAndTrainers: Expectations = { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'deny', manager: 'deny', employee: 'deny' }

export const matrix: Record<string, Entry> = {
  '_index.tsx': { url: () => '/', loader: signedIn },
  'login.tsx': { url: () => '/login', loader: anonymousOnly },
  'logout.tsx': { url: () => '/logout', loader: everyone('redirect') },
  'locale.tsx': { url: () => '/locale', loader: everyone('redirect') },
  // Without DEMO_MODE the demo page does not exist for anybody.
  'demo.tsx': { url: () => '/demo', loader: everyone('notfound') },
  'forgot-password.tsx': { url: () => '/forgot-password', loader: anonymousOnly },
  'reset-password.$token.tsx': { url: () => '/reset-password/abc', params: () => ({ token: 'abc' }), loader: everyone('allow') },
  'invitation.$token.tsx': { url: () => '/invitation/abc', params: () => ({ token: 'abc' }), loader: everyone('allow') },
  'account.tsx': { url: () => '/account', loader: signedIn },
  'healthz.ts': { url: () => '/healthz', loader: everyone('allow') },
  // The interface's text in one language, which the sign-in page needs too: public, like the JavaScript.
  'i18n.$locale.ts': { url: () => '/i18n/en', params: () => ({ locale: 'en' }), loader: everyone('allow') },
  'team.tsx': { url: () => '/team', loader: managersAndHr },
  'admin.import.tsx': { url: () => '/admin/import', loader: hrOnly },
  'admin.people._index.tsx': { url: () => '/admin/people', loader: hrOnly },
  'admin.people.$personId.tsx': {
    url: (ctx) => `/admin/people/${ctx.otherPersonId}`,
    params: (ctx) => ({ personId: ctx.otherPersonId }),
    loader: hrOnly,
    // Granting another quiz attempt: HR only (the other person has no quiz, so HR gets a 400).
    action: { fields: () => ({ intent: 'grant-attempt', moduleId: '00000000-0000-4000-8000-000000000000' }), expect: { ...hrOnly, hr_admin: 'invalid' } },
  },
  'admin.people.invite.tsx': { url: () => '/admin/people/invite', loader: hrOnly },
  'admin.departments.tsx': { url: () => '/admin/departments', loader: hrOnly },
  'admin.outbox._index.tsx': { url: () => '/admin/outbox', loader: hrOnly },
  // HR reaches the attachment check (a missing email is a 404); everybody else is refused first.
  'admin.outbox.$emailId.attachments.$index.ts': {
    url: () => '/admin/outbox/00000000-0000-4000-8000-000000000000/attachments/0',
    params: () => ({ emailId: '00000000-0000-4000-8000-000000000000', index: '0' }),
    loader: { ...hrOnly, hr_admin: 'notfound' },
  },
  'admin.outbox.$emailId.tsx': {
    url: () => '/admin/outbox/00000000-0000-4000-8000-000000000000',
    params: () => ({ emailId: '00000000-0000-4000-8000-000000000000' }),
    loader: { ...hrOnly, hr_admin: 'notfound' },
  },
  'admin.audit.tsx': { url: () => '/admin/audit', loader: hrOnly },
  'sessions._index.tsx': { url: () => '/sessions', loader: { ...sessionStaff, lecturer: 'allow' } },
  'sessions.new.tsx': { url: () => '/sessions/new', loader: { ...sessionStaff, trainer: 'allow' } },
  'sessions.$sessionId._index.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}`, params: sessionParams, loader: sessionStaff },
  'sessions.$sessionId.roster.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/roster`, params: sessionParams, loader: sessionStaff },
  'sessions.$sessionId.check-in-screen.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/check-in-screen`, params: sessionParams, loader: sessionStaff },
  // The matrix session's briefing pack is published: HR and the session's own trainer read it; the lecturer does not teach it.
  'sessions.$sessionId.briefing._index.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/briefing`, params: sessionParams, loader: sessionStaff },
  'sessions.$sessionId.briefing.edit.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/briefing/edit`, params: sessionParams, loader: hrOnly },
  'my.sessions.tsx': { url: () => '/my/sessions', loader: signedIn },
  // Only people who attended answer the survey; nobody attended the matrix session.
  'sessions.$sessionId.survey.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/survey`, params: sessionParams, loader: everyone('deny', 'login') },
  // Survey results: HR and the session's own trainers; the matrix lecturer does not teach it.
  'sessions.$sessionId.survey-results.tsx': { url: (ctx) => `/sessions/${ctx.sessionId}/survey-results`, params: sessionParams, loader: sessionStaff },
  'sessions.$sessionId.survey-results[.csv].ts': { url: (ctx) => `/sessions/${ctx.sessionId}/survey-results.csv`, params: sessionParams, loader: sessionStaff },
  // Per-trainer overview: HR all, trainers and lecturers their own rows.
  'admin.surveys.tsx': {
    url: () => '/admin/surveys',
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'allow', manager: 'deny', employee: 'deny' },
  },
  'notifications.tsx': { url: () => '/notifications', loader: signedIn },
  // Attendance reports: HR everything, managers their team, trainers and lecturers the sessions they teach.
  'reports.attendance._index.tsx': { url: () => '/reports/attendance', loader: { ...everyone('allow', 'login'), employee: 'deny' } },
  // The person view across sessions is for HR and managers; the session view is covered in reports.server.test.ts.
  'reports.attendance.export.ts': { url: () => '/reports/attendance/export?view=person&format=csv', loader: managersAndHr },
  'invitations.$token.tsx': { url: () => '/invitations/abc', params: () => ({ token: 'abc' }), loader: everyone('allow') },
  'check-in._index.tsx': { url: () => '/check-in', loader: signedIn },
  'check-in.$token.tsx': { url: () => '/check-in/abc', params: () => ({ token: 'abc' }), loader: signedIn },
  'learn._index.tsx': { url: () => '/learn', loader: signedIn },
  // Nobody in the matrix is enrolled in the fixture course: HR and trainers preview it, others are refused.
  'learn.$courseId._index.tsx': { url: () => '/learn/good-course', params: () => ({ courseId: 'good-course' }), loader: hrAndTrainers },
  'learn.$courseId.$moduleId.tsx': {
    url: () => '/learn/good-course/welcome',
    params: () => ({ courseId: 'good-course', moduleId: 'welcome' }),
    loader: hrAndTrainers,
  },
  // Only a completed enrolment has a certificate; HR previewing has none.
  'learn.$courseId.certificate.ts': {
    url: () => '/learn/good-course/certificate',
    params: () => ({ courseId: 'good-course' }),
    loader: { anonymous: 'login', hr_admin: 'notfound', trainer: 'notfound', lecturer: 'deny', manager: 'deny', employee: 'deny' },
  },
  'admin.courses._index.tsx': { url: () => '/admin/courses', loader: hrAndTrainers },
  'admin.courses.$courseId.tsx': { url: () => '/admin/courses/good-course', params: () => ({ courseId: 'good-course' }), loader: hrAndTrainers },
  'admin.progress._index.tsx': { url: () => '/admin/progress', loader: hrAndTrainers },
  'admin.progress.export.ts': { url: () => '/admin/progress/export?format=csv', loader: hrAndTrainers },
  // Authoring is for HR admins; an imported course opens read-only.
  'admin.courses.new.tsx': { url: () => '/admin/courses/new', loader: hrOnly },
  'admin.courses.$courseId_.edit.tsx': { url: () => '/admin/courses/good-course/edit', params: () => ({ courseId: 'good-course' }), loader: hrOnly },
  'admin.courses.$courseId_.modules.$moduleId.tsx': {
    url: () => '/admin/courses/good-course/modules/welcome',
    params: () => ({ courseId: 'good-course', moduleId: 'welcome' }),
    loader: hrOnly,
  },
  'videos._index.tsx': { url: () => '/videos', loader: watchers },
  'videos.$videoId._index.tsx': { url: () => '/videos/follow-up-positive', params: () => ({ videoId: 'follow-up-positive' }), loader: watchers },
  // Action-only resource routes (the player posts progress and responses); their actions check the same permission.
  'videos.$videoId.progress.ts': {
    url: () => '/videos/follow-up-positive/progress',
    params: () => ({ videoId: 'follow-up-positive' }),
    loader: everyone('none'),
  },
  'videos.$videoId.respond.ts': {
    url: () => '/videos/follow-up-positive/respond',
    params: () => ({ videoId: 'follow-up-positive' }),
    loader: everyone('none'),
  },
  'videos.compare.$videoId.tsx': { url: () => '/videos/compare/follow-up-positive', params: () => ({ videoId: 'follow-up-positive' }), loader: watchers },
  'videos.$videoId.edit.tsx': { url: () => '/videos/follow-up-positive/edit', params: () => ({ videoId: 'follow-up-positive' }), loader: trainersAndHr },
  'videos.$videoId.present.tsx': { url: () => '/videos/follow-up-positive/present', params: () => ({ videoId: 'follow-up-positive' }), loader: trainersAndHr },
  'videos.$videoId.presenter.tsx': {
    url: () => '/videos/follow-up-positive/presenter',
    params: () => ({ videoId: 'follow-up-positive' }),
    loader: trainersAndHr,
  },
  'videos.$videoId.notes.ts': { url: () => '/videos/follow-up-positive/notes', params: () => ({ videoId: 'follow-up-positive' }), loader: everyone('none') },
  'videos.$videoId.report.tsx': { url: () => '/videos/follow-up-positive/report', params: () => ({ videoId: 'follow-up-positive' }), loader: trainersAndHr },
  'videos.new.tsx': { url: () => '/videos/new', loader: trainersAndHr },
  // Lesson images: uploads are checked in the action (course authors only); any signed-in person may view.
  'media.images.ts': { url: () => '/media/images', loader: everyone('none') },
  'media.images.$imageId.ts': {
    url: () => '/media/images/00000000-0000-4000-8000-000000000000',
    params: () => ({ imageId: '00000000-0000-4000-8000-000000000000' }),
    loader: everyone('notfound', 'login'),
  },
  // Resumable uploads (tus): signed-in people only; GET is not part of the protocol here (405).
  // Ownership of each upload is tested in app/modules/files/uploads.server.test.ts.
  'uploads.tus.$.ts': { url: () => '/uploads/tus/x', params: () => ({ '*': 'x' }), loader: everyone('deny', 'login') },
  // Stored files: whoever the file's domain allows; everyone else gets 404 (app/modules/files/access.server.test.ts).
  'files.$fileId.ts': {
    url: () => '/files/00000000-0000-4000-8000-000000000000',
    params: () => ({ fileId: '00000000-0000-4000-8000-000000000000' }),
    loader: everyone('notfound', 'login'),
  },
  'videos.uploads.ts': { url: () => '/videos/uploads', loader: everyone('none') },
  'videos.uploads.$uploadId.ts': { url: () => '/videos/uploads/x', params: () => ({ uploadId: 'x' }), loader: everyone('none') },
  // Authenticated by Mux's signature, not by a session (tested in app/modules/videos/uploads.server.test.ts).
  'webhooks.mux.ts': { url: () => '/webhooks/mux', loader: everyone('none') },
  // Action only, for `npm run db:backup` on the server's machine with the server's token.
  'internal.backup.ts': { url: () => '/internal/backup', loader: everyone('none') },
  'videos.$videoId.report[.csv].ts': {
    url: () => '/videos/follow-up-positive/report.csv',
    params: () => ({ videoId: 'follow-up-positive' }),
    loader: trainersAndHr,
  },
  // Group case analysis: the matrix manager is the only member of the matrix group; its grade is not released.
  // The matrix employee is the only member of another group of the same cohort (more rows below).
  'groups._index.tsx': { url: () => '/groups', loader: signedIn },
  'groups.$groupId.tsx': {
    url: (ctx) => `/groups/${ctx.cases.groupId}`,
    params: (ctx) => ({ groupId: ctx.cases.groupId }),
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    action: {
      fields: () => ({ intent: 'message', body: 'Hello group' }),
      expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    },
    // The member reads the case, never its trainer notes nor the grade before it is released.
    secrets: { from: ['manager'], text: (ctx) => ctx.cases.secrets },
  },
  'admin.cases._index.tsx': { url: () => '/admin/cases', loader: hrAndTrainers },
  // Role-play scenario library: every role's private brief and the observer notes, so HR and trainers only.
  'roleplays.scenarios._index.tsx': { url: () => '/roleplays/scenarios?keyPoint=7', loader: hrAndTrainers },
  'roleplays.scenarios.$scenarioId.tsx': {
    url: (ctx) => `/roleplays/scenarios/${ctx.scenarioId}`,
    params: (ctx) => ({ scenarioId: ctx.scenarioId }),
    loader: hrAndTrainers,
    // Restoring needs a retired scenario: HR gets past the permission check to a 404.
    action: { fields: () => ({ intent: 'restore' }), expect: { ...hrOnly, hr_admin: 'notfound' } },
  },
  'roleplays.scenarios.$scenarioId_.edit.tsx': {
    url: (ctx) => `/roleplays/scenarios/${ctx.scenarioId}/edit`,
    params: (ctx) => ({ scenarioId: ctx.scenarioId }),
    loader: hrOnly,
    action: { fields: () => ({ intent: 'save' }), expect: { ...hrOnly, hr_admin: 'invalid' } },
  },
  'roleplays.scenarios.new.tsx': {
    url: () => '/roleplays/scenarios/new',
    loader: hrOnly,
    action: { fields: () => ({ intent: 'save' }), expect: { ...hrOnly, hr_admin: 'invalid' } },
  },
  'admin.rubrics.tsx': {
    url: () => '/admin/rubrics',
    loader: hrAndTrainers,
    action: { fields: () => ({ nameEn: 'x' }), expect: { ...hrOnly, hr_admin: 'invalid' } },
  },
  // Trainer notes are on the case page: HR and trainers only; HR edits.
  'admin.cases.$caseId.tsx': {
    url: (ctx) => `/admin/cases/${ctx.cases.caseId}`,
    params: (ctx) => ({ caseId: ctx.cases.caseId }),
    loader: hrAndTrainers,
    action: { fields: () => ({ intent: 'save' }), expect: { ...hrOnly, hr_admin: 'invalid' } },
  },
  'sessions.$sessionId.groups._index.tsx': {
    url: (ctx) => `/sessions/${ctx.cases.sessionId}/groups`,
    params: (ctx) => ({ sessionId: ctx.cases.sessionId }),
    loader: sessionStaff,
    action: {
      fields: (ctx) => ({ intent: 'release', assignmentId: ctx.cases.assignmentId }),
      expect: { ...sessionStaff, hr_admin: 'allow', trainer: 'allow' },
    },
  },
  'sessions.$sessionId.groups.present.tsx': {
    url: (ctx) => `/sessions/${ctx.cases.sessionId}/groups/present`,
    params: (ctx) => ({ sessionId: ctx.cases.sessionId }),
    loader: sessionStaff,
    action: {
      fields: (ctx) => ({ intent: 'presented', assignmentId: ctx.cases.assignmentId }),
      expect: { ...sessionStaff, hr_admin: 'redirect', trainer: 'redirect' },
    },
  },
  // Grading (and the unreleased grade) is for the cohort's staff: a member of the graded group is refused too.
  'assignments.$assignmentId.grade.tsx': {
    url: (ctx) => `/assignments/${ctx.cases.assignmentId}/grade`,
    params: (ctx) => ({ assignmentId: ctx.cases.assignmentId }),
    loader: sessionStaff,
    action: { fields: () => ({ intent: 'release' }), expect: sessionStaff },
  },
  // Role-play self-study (docs/decisions/036): the matrix manager is the only member of a group taught by the matrix
  // trainer; members open and mark items done, the cohort's staff edit the pack and see the grid; everyone else gets a 404.
  'roleplay.$assignmentId.study.tsx': {
    url: (ctx) => `/roleplay/${ctx.roleplayStudy.assignmentId}/study`,
    params: (ctx) => ({ assignmentId: ctx.roleplayStudy.assignmentId }),
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    action: {
      fields: (ctx) => ({ intent: 'done', itemId: ctx.roleplayStudy.itemId }),
      expect: { anonymous: 'login', hr_admin: 'notfound', trainer: 'notfound', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    },
  },
  'roleplay.$assignmentId.study_.$itemId.ts': {
    url: (ctx) => `/roleplay/${ctx.roleplayStudy.assignmentId}/study/${ctx.roleplayStudy.itemId}`,
    params: (ctx) => ({ assignmentId: ctx.roleplayStudy.assignmentId, itemId: ctx.roleplayStudy.itemId }),
    loader: { anonymous: 'login', hr_admin: 'redirect', trainer: 'redirect', lecturer: 'notfound', manager: 'redirect', employee: 'notfound' },
  },
  'sessions.$sessionId.roleplay-study.tsx': {
    url: (ctx) => `/sessions/${ctx.roleplayStudy.sessionId}/roleplay-study`,
    params: (ctx) => ({ sessionId: ctx.roleplayStudy.sessionId }),
    loader: { ...sessionStaff, lecturer: 'notfound', manager: 'notfound', employee: 'notfound' },
    action: {
      fields: (ctx) => ({ intent: 'move', itemId: ctx.roleplayStudy.itemId, direction: 'down' }),
      expect: { ...sessionStaff, lecturer: 'notfound', manager: 'notfound', employee: 'notfound' },
    },
  },
  // Role-plays: the matrix manager is the only member of the matrix group, cast as the manager; its review is not released.
  'sessions.$sessionId.roleplays.tsx': {
    url: (ctx) => `/sessions/${ctx.cases.sessionId}/roleplays`,
    params: (ctx) => ({ sessionId: ctx.cases.sessionId }),
    loader: sessionStaff,
    action: {
      fields: (ctx) => ({ intent: 'performed-live', assignmentId: ctx.roleplay.assignmentId, live: 'no' }),
      expect: sessionStaff,
    },
  },
  // Briefs and recordings: the group, its trainers and HR; anybody else does not learn that the group exists.
  'groups.$groupId_.roleplay.tsx': {
    url: (ctx) => `/groups/${ctx.roleplay.groupId}/roleplay`,
    params: (ctx) => ({ groupId: ctx.roleplay.groupId }),
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    action: {
      // Staff do not submit recordings (a field error); outsiders get 404 before anything is looked at.
      fields: () => ({ intent: 'submit', uploadId: 'f'.repeat(32) }),
      expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'invalid', employee: 'notfound' },
    },
  },
  // A Mux direct upload of the next recording: members only (without Mux configured here, the member reaches its 400).
  'groups.$groupId_.roleplay_.mux-upload.ts': {
    url: (ctx) => `/groups/${ctx.roleplay.groupId}/roleplay/mux-upload`,
    params: (ctx) => ({ groupId: ctx.roleplay.groupId }),
    loader: everyone('none'),
    action: {
      fields: () => ({}),
      expect: { anonymous: 'login', hr_admin: 'deny', trainer: 'deny', lecturer: 'notfound', manager: 'invalid', employee: 'notfound' },
    },
  },
  'roleplays.recordings.$recordingId.ts': {
    url: (ctx) => `/roleplays/recordings/${ctx.roleplay.recordingId}`,
    params: (ctx) => ({ recordingId: ctx.roleplay.recordingId }),
    // The matrix recording row has no bytes in the storage: whoever passes the check reaches the 404 of the missing object.
    loader: everyone('notfound', 'login'),
  },
  // Consent to show a recording as a teaching example: the group's members only (taking back a consent never given changes nothing).
  'roleplays.recordings.$recordingId_.consent.ts': {
    url: (ctx) => `/roleplays/recordings/${ctx.roleplay.recordingId}/consent`,
    params: (ctx) => ({ recordingId: ctx.roleplay.recordingId }),
    loader: everyone('none'),
    action: {
      fields: () => ({ consent: 'no' }),
      expect: { anonymous: 'login', hr_admin: 'deny', trainer: 'deny', lecturer: 'notfound', manager: 'allow', employee: 'notfound' },
    },
  },
  // Into the video library: the cohort's staff, refused (400) while the players have not consented.
  'roleplays.recordings.$recordingId_.promote.ts': {
    url: (ctx) => `/roleplays/recordings/${ctx.roleplay.recordingId}/promote`,
    params: (ctx) => ({ recordingId: ctx.roleplay.recordingId }),
    loader: everyone('none'),
    action: {
      fields: () => ({ intent: 'promote' }),
      expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'deny', employee: 'notfound' },
    },
  },
  // Reviewing (and the unreleased review) is for the cohort's staff: the group's member is refused too.
  'roleplays.$assignmentId.review.tsx': {
    url: (ctx) => `/roleplays/${ctx.roleplay.assignmentId}/review`,
    params: (ctx) => ({ assignmentId: ctx.roleplay.assignmentId }),
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'deny', employee: 'notfound' },
    action: {
      fields: () => ({ intent: 'delete-comment', commentId: '999999999' }),
      expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'deny', employee: 'notfound' },
    },
  },
  'roleplays.$assignmentId.live.tsx': {
    url: (ctx) => `/roleplays/${ctx.roleplay.assignmentId}/live`,
    params: (ctx) => ({ assignmentId: ctx.roleplay.assignmentId }),
    loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'deny', employee: 'notfound' },
  },
  // Autosave of the live sheet: 401 (not a redirect) when signed out.
  'roleplays.$assignmentId.score.ts': {
    url: (ctx) => `/roleplays/${ctx.roleplay.assignmentId}/score`,
    params: (ctx) => ({ assignmentId: ctx.roleplay.assignmentId }),
    loader: everyone('none'),
    action: {
      json: () => ({ levels: { 1: 1 }, summary: 'typed' }),
      expect: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'deny', employee: 'notfound' },
    },
  },
  // KPIs: HR sets policy and publishes; managers read published figures (the module narrows to their line).
  'admin.kpi._index.tsx': { url: () => '/admin/kpi', loader: hrOnly },
  'admin.kpi.$periodId.tsx': { url: (ctx) => `/admin/kpi/${ctx.kpiPeriodId}`, params: (ctx) => ({ periodId: ctx.kpiPeriodId }), loader: hrOnly },
  'admin.kpi.tokens.tsx': { url: () => '/admin/kpi/tokens', loader: hrOnly },
  'kpi._index.tsx': { url: () => '/kpi', loader: managersAndHr },
  // The matrix period is published; the matrix manager is not scored in it, so only HR opens the scorecard of the HR-scored manager.
  'kpi.$periodId.managers.$managerId.tsx': {
    url: (ctx) => `/kpi/${ctx.kpiPeriodId}/managers/${ctx.kpiManagerId}`,
    params: (ctx) => ({ periodId: ctx.kpiPeriodId, managerId: ctx.kpiManagerId }),
    loader: managersAndHr,
  },
  'kpi.$periodId.export.ts': {
    url: (ctx) => `/kpi/${ctx.kpiPeriodId}/export?format=csv`,
    params: (ctx) => ({ periodId: ctx.kpiPeriodId }),
    loader: managersAndHr,
  },
  // The API authenticates with bearer tokens, not sessions: without one everybody gets 401 (tested in app/modules/kpi/api.server.test.ts).
  'api.v1.kpi.periods.ts': { url: () => '/api/v1/kpi/periods', loader: everyone('login') },
  'api.v1.kpi.periods.$periodKey.scores.ts': {
    url: () => '/api/v1/kpi/periods/matrix/scores',
    params: () => ({ periodKey: 'matrix' }),
    loader: everyone('login'),
  },
  'api.v1.kpi.periods.$periodKey.departments.ts': {
    url: () => '/api/v1/kpi/periods/matrix/departments',
    params: () => ({ periodKey: 'matrix' }),
    loader: everyone('login'),
  },
  'api.v1.kpi.openapi[.json].ts': { url: () => '/api/v1/kpi/openapi.json', loader: everyone('allow') },
  'media.videos.$videoId.$file.ts': {
    url: () => '/media/videos/follow-up-positive/captions.en.vtt',
    params: () => ({ videoId: 'follow-up-positive', file: 'captions.en.vtt' }),
    loader: watchers,
  },
  // Follow-up (docs/follow-up-privacy.md): the matrix manager has direct reports with plans and a logged check-in.
  // Contents: the manager, and HR admins holding a personal grant (hr_reader); the matrix HR admin holds none.
  'team_.follow-up._index.tsx': { url: () => '/team/follow-up', loader: { ...managerOnly, hr_reader: 'deny' } },
  'team_.follow-up.$employeeId.tsx': {
    url: (ctx) => `/team/follow-up/${ctx.followUp.reportId}`,
    params: (ctx) => ({ employeeId: ctx.followUp.reportId }),
    loader: { ...managerOnly, hr_reader: 'allow' },
    action: {
      fields: () => ({ intent: 'plan', frequencyDays: '14', channel: 'call', nextDueOn: '2031-02-01', notes: '' }),
      expect: { ...managerOnly, hr_reader: 'deny' },
    },
  },
  'team_.follow-up.$employeeId.calendar[.ics].ts': {
    url: (ctx) => `/team/follow-up/${ctx.followUp.reportId}/calendar.ics`,
    params: (ctx) => ({ employeeId: ctx.followUp.reportId }),
    loader: { ...managerOnly, hr_reader: 'deny' },
  },
  // Autosave: answers 401 (not a redirect) when signed out, so the page keeps what was typed.
  'team_.follow-up.draft.ts': {
    url: () => '/team/follow-up/draft',
    loader: everyone('none'),
    action: { json: (ctx) => ({ checkInId: ctx.followUp.openId, progress: 'typed' }), expect: { ...managerOnly, hr_reader: 'deny' } },
  },
  // Only the check-in's own employee confirms it; the matrix employee is not that person.
  'my.follow-up.tsx': {
    url: () => '/my/follow-up',
    loader: { ...everyone('allow', 'login'), lecturer: 'deny', hr_reader: 'allow' },
    action: {
      fields: (ctx) => ({ intent: 'confirm', checkInId: ctx.followUp.heldId, happened: 'no' }),
      expect: { ...everyone('deny', 'login'), hr_reader: 'deny' },
    },
  },
  // HR's measures: aggregates only, never a check-in's contents, whether or not the reader holds the grant.
  'admin.follow-up._index.tsx': {
    url: () => '/admin/follow-up',
    loader: { ...hrOnly, hr_reader: 'allow' },
    action: { fields: (ctx) => ({ intent: 'grant', userId: ctx.followUp.hr2Id }), expect: { ...hrOnly, hr_reader: 'allow' } },
    secrets: { from: ['hr_admin', 'hr_reader'], text: () => [MATRIX_CHECK_IN] },
  },
  'admin.follow-up.$managerId.tsx': {
    url: (ctx) => `/admin/follow-up/${ctx.people.manager.id}`,
    params: (ctx) => ({ managerId: ctx.people.manager.id }),
    loader: { ...everyone('deny', 'login'), hr_reader: 'allow' },
  },
}

const learnerOfOtherGroup: Expectations = {
  anonymous: 'login',
  hr_admin: 'allow',
  trainer: 'allow',
  lecturer: 'notfound',
  manager: 'allow',
  employee: 'notfound',
}

/**
 * More rows for routes that guard more than one thing (one entry per route file above is not
 * enough): in group case analysis, another group's slides, its submission and the unreleased grade.
 */
const moreRows: { file: string; what: string; entry: Entry }[] = [
  // Follow-up actions beyond the plan and the grant, on a second report so the rows above keep their check-ins.
  {
    file: 'team_.follow-up.$employeeId.tsx',
    what: 'logging a check-in',
    entry: {
      url: (ctx) => `/team/follow-up/${ctx.followUp.otherReportId}`,
      params: (ctx) => ({ employeeId: ctx.followUp.otherReportId }),
      loader: { ...managerOnly, hr_reader: 'allow' },
      action: {
        fields: (ctx) => ({ intent: 'log', checkInId: ctx.followUp.otherOpenId, heldOn: '2026-01-06', progress: 'Logged in the matrix' }),
        expect: { ...managerOnly, hr_reader: 'deny' },
      },
    },
  },
  {
    file: 'team_.follow-up.$employeeId.tsx',
    what: 'ending a plan',
    entry: {
      url: (ctx) => `/team/follow-up/${ctx.followUp.otherReportId}`,
      params: (ctx) => ({ employeeId: ctx.followUp.otherReportId }),
      loader: { ...managerOnly, hr_reader: 'allow' },
      action: { fields: (ctx) => ({ intent: 'archive', planId: ctx.followUp.otherPlanId }), expect: { ...managerOnly, hr_reader: 'deny' } },
    },
  },
  {
    file: 'admin.follow-up._index.tsx',
    what: 'importing team results',
    entry: {
      url: () => '/admin/follow-up',
      loader: { ...hrOnly, hr_reader: 'allow' },
      // No file: HR gets as far as the form check (400); everybody else is refused before any upload is read.
      action: { fields: () => ({ intent: 'import' }), expect: { ...hrOnly, hr_admin: 'invalid', hr_reader: 'invalid' } },
    },
  },
  {
    file: 'admin.follow-up._index.tsx',
    what: 'revoking a grant',
    entry: {
      url: () => '/admin/follow-up',
      loader: { ...hrOnly, hr_reader: 'allow' },
      action: { fields: (ctx) => ({ intent: 'revoke', userId: ctx.followUp.hr2Id }), expect: { ...hrOnly, hr_reader: 'allow' } },
    },
  },
  {
    file: 'files.$fileId.ts',
    what: 'the matrix group’s slides',
    entry: { url: (ctx) => `/files/${ctx.cases.fileId}`, params: (ctx) => ({ fileId: ctx.cases.fileId }), loader: learnerOfOtherGroup },
  },
  {
    file: 'groups.$groupId.tsx',
    what: 'the employee’s own group',
    entry: {
      url: (ctx) => `/groups/${ctx.cases.otherGroupId}`,
      params: (ctx) => ({ groupId: ctx.cases.otherGroupId! }),
      loader: { anonymous: 'login', hr_admin: 'allow', trainer: 'allow', lecturer: 'notfound', manager: 'notfound', employee: 'allow' },
      action: {
        fields: () => ({ intent: 'message', body: 'Hello other group' }),
        expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'notfound', employee: 'allow' },
      },
      // Same case, so no trainer notes; and nothing of the matrix group's slides or grade.
      secrets: { from: ['employee'], text: (ctx) => [...ctx.cases.secrets, ctx.cases.fileId] },
    },
  },
  {
    file: 'groups.$groupId.tsx',
    what: 'submitting a version to another group',
    entry: {
      url: (ctx) => `/groups/${ctx.cases.groupId}`,
      params: (ctx) => ({ groupId: ctx.cases.groupId }),
      loader: learnerOfOtherGroup,
      // A member gets as far as the upload check (no such upload: 400); staff are not members (400).
      action: {
        fields: () => ({ intent: 'submit', uploadId: 'f'.repeat(32) }),
        expect: { anonymous: 'login', hr_admin: 'invalid', trainer: 'invalid', lecturer: 'notfound', manager: 'invalid', employee: 'notfound' },
      },
    },
  },
  {
    file: 'assignments.$assignmentId.grade.tsx',
    what: 'saving a grade',
    entry: {
      url: (ctx) => `/assignments/${ctx.cases.assignmentId}/grade`,
      params: (ctx) => ({ assignmentId: ctx.cases.assignmentId }),
      loader: sessionStaff,
      // One level only: staff get past the permission check to 'incomplete' (400), nothing is saved.
      action: {
        fields: () => ({ intent: 'grade', version: '1', 'levels.violations': '3', comment: 'Changed' }),
        expect: { ...sessionStaff, hr_admin: 'invalid', trainer: 'invalid' },
      },
    },
  },
]

const routesDir = path.resolve('app/routes')
const routeFiles = readdirSync(routesDir).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f))

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run()
    if (result instanceof Response) return classify(result)
    // An action's `data(…, { status })` (field errors are a 400).
    const withInit = result as { type?: string; init?: ResponseInit | null } | null
    if (withInit?.type === 'DataWithResponseInit' && withInit.init?.status) return classify(new Response(null, { status: withInit.init.status }))
    return 'allow'
  } catch (thrown) {
    if (thrown instanceof Response) return classify(thrown)
    throw thrown
  }
}

function classify(response: Response): Outcome {
  if (response.status >= 300 && response.status < 400) {
    return (response.headers.get('Location') ?? '').startsWith('/login') ? 'login' : 'redirect'
  }
  if (response.status === 403) return 'deny'
  if (response.status === 404) return 'notfound'
  if (response.status === 401) return 'login'
  if (response.status === 400) return 'invalid'
  return response.status < 300 ? 'allow' : 'deny'
}

describe('authorization matrix', () => {
  const ctx = {} as Context
  beforeAll(async () => {
    const roles: Role[] = ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee']
    ctx.people = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await createPerson({ roles: [r] })]))) as Context['people']
    ctx.otherPersonId = (await createPerson()).id
    const scheduled = await createSession(ctx.people.hr_admin, {
      title: 'Matrix session',
      startsAt: '2031-01-06T09:00',
      endsAt: '2031-01-06T11:00',
      timeZone: 'Asia/Shanghai',
      place: 'Room 1',
      trainerIds: [ctx.people.trainer.id],
    })
    if (!scheduled.ok) throw new Error('could not schedule the matrix session')
    ctx.sessionId = scheduled.sessionId
    await saveBriefing(ctx.people.hr_admin, ctx.sessionId, {
      intent: 'publish',
      language: 'en',
      companyBackground: 'A retailer',
      audienceDepartments: '',
      audienceLevels: '',
      audienceNotes: '',
      followUpProblems: 'Late feedback',
      cases: '',
      dosAndDonts: 'Be concrete',
      equipment: '',
      contact: 'HR',
      logisticsNotes: '',
    })
    await fixtureCourse()
    await importSampleVideos(db)
    const report = await createPerson({ managerId: ctx.people.manager.id })
    await savePlan(ctx.people.manager, { intent: 'plan', employeeId: report.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-01-05', notes: '' })
    const first = await getEmployeeFollowUp(ctx.people.manager, report.id)
    await logCheckIn(ctx.people.manager, first.next!.id, '2026-01-05', {
      progress: MATRIX_CHECK_IN,
      obstacles: '',
      agreedActions: '',
      feedbackGiven: '',
      employeeInput: '',
    })
    const after = await getEmployeeFollowUp(ctx.people.manager, report.id)
    const other = await createPerson({ managerId: ctx.people.manager.id })
    await savePlan(ctx.people.manager, { intent: 'plan', employeeId: other.id, frequencyDays: 7, channel: 'call', nextDueOn: '2026-01-06', notes: '' })
    const otherView = await getEmployeeFollowUp(ctx.people.manager, other.id)
    ctx.followUp = {
      reportId: report.id,
      heldId: first.next!.id,
      openId: after.next!.id,
      hr2Id: (await createPerson({ roles: ['hr_admin'] })).id,
      otherReportId: other.id,
      otherOpenId: otherView.next!.id,
      otherPlanId: otherView.plan!.id,
    }
    ctx.people.hr_reader = await createPerson({ roles: ['hr_admin'] })
    await setContentReader(ctx.people.hr_admin, ctx.people.hr_reader.id, true)
    ctx.cases = await caseMatrixContext(ctx.people)
    if (!ctx.cases.otherGroupId) throw new Error('the matrix employee has no group')
    await syncRoleplayScenarios()
    ctx.scenarioId = (await listScenarios(ctx.people.hr_admin))[0].id
    ctx.roleplayStudy = await roleplayStudyMatrixContext(ctx.people)
    ctx.roleplay = await roleplayMatrixContext(ctx.people, ctx.cases.groupId, ctx.cases.sessionId)
    // A published KPI period in which the matrix manager is scored (scorecard: own).
    const period = await savePeriod(
      ctx.people.hr_admin,
      null,
      PeriodForm.parse({
        intent: 'save',
        key: 'matrix',
        startsOn: '2020-01-01',
        endsOn: '2020-03-31',
        lateFraction: '0.5',
        courseLateFraction: '0.5',
        excused: 'exclude',
        bandA: '90',
        bandB: '75',
        bandC: '60',
        weight: { attendance: '100' },
        enabled: { attendance: 'on' },
      }),
    )
    if (!period.ok) throw new Error('could not save the matrix KPI period')
    await db.execute(sql`update org_history set valid_from = '2019-01-01' where user_id = ${ctx.people.manager.id}`)
    await publishPeriod(ctx.people.hr_admin, period.periodId, {})
    ctx.kpiPeriodId = period.periodId
    ctx.kpiManagerId = ctx.people.manager.id
  })

  it('has an entry for every route file', () => {
    const missing = routeFiles.filter((f) => !(f in matrix))
    expect(missing, `add these routes to tests/integration/authorization-matrix.test.ts`).toEqual([])
  })

  const rows = [...routeFiles.flatMap((file) => (matrix[file] ? [{ file, what: '', entry: matrix[file] }] : [])), ...moreRows]
  // First, before any action below changes the context (the release actions release the grade).
  for (const { file, what, entry } of rows) {
    const name = what ? `${file} (${what})` : file
    const secrets = entry.secrets
    if (secrets) {
      for (const who of secrets.from) {
        it(`${name} loader: ${who} gets none of its secrets`, async () => {
          const route = await import(/* @vite-ignore */ path.join(routesDir, file))
          const request = await requestAs(ctx.people[who as Exclude<Who, 'anonymous'>], entry.url(ctx))
          const text = JSON.stringify(await route.loader({ request, params: entry.params?.(ctx) ?? {}, context: { clientIp: '127.0.0.1' } }))
          const texts = secrets.text(ctx)
          expect(texts.length).toBeGreaterThan(0)
          // Compared as JSON text, so a secret with quotes or line breaks is still found.
          for (const secret of texts) expect(text).not.toContain(JSON.stringify(secret).slice(1, -1))
        })
      }
    }
  }
  for (const { file, what, entry } of rows) {
    const name = what ? `${file} (${what})` : file
    for (const who of Object.keys(entry.loader) as Who[]) {
      it(`${name} loader: ${who} → ${entry.loader[who]}`, async () => {
        const route = await import(/* @vite-ignore */ path.join(routesDir, file))
        const person = who === 'anonymous' ? null : ctx.people[who]
        const request = await requestAs(person, entry.url(ctx))
        const outcome = route.loader
          ? await outcomeOf(() => route.loader({ request, params: entry.params?.(ctx) ?? {}, context: { clientIp: '127.0.0.1' } }))
          : 'none'
        expect(outcome).toBe(entry.loader[who])
      })
    }
    const check = entry.action
    if (!check) continue
    for (const who of Object.keys(check.expect) as Who[]) {
      it(`${name} action: ${who} → ${check.expect[who]}`, async () => {
        const route = await import(/* @vite-ignore */ path.join(routesDir, file))
        const person = who === 'anonymous' ? null : ctx.people[who]
        const request = check.json
          ? await requestAs(person, entry.url(ctx), { method: 'POST', body: JSON.stringify(check.json(ctx)), headers: { 'Content-Type': 'application/json' } })
          : await postAs(person, entry.url(ctx), check.fields!(ctx))
        const outcome = await outcomeOf(() => route.action({ request, params: entry.params?.(ctx) ?? {}, context: { clientIp: '127.0.0.1' } }))
        expect(outcome).toBe(check.expect[who])
      })
    }
  }
})
