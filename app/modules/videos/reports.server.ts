import { csvCell } from '~/modules/exports/spreadsheet.server'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import type { Locale } from '~/i18n/define'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { localized } from './videos'
import { findVideo } from './videos.server'

const MAX_LEARNERS = 1000

const LearnerRow = z.object({
  user_id: column.text,
  name: column.text,
  email: column.text,
  department: column.textOrNull,
  credited: column.number,
  completed_at: column.dateOrNull,
  acknowledged: column.number,
  answered: column.number,
  correct: column.number,
  predicted: column.number,
})

const BreakpointRow = z.object({
  id: column.text,
  time: column.number,
  title: column.localized,
  must_acknowledge: column.boolean,
  has_question: column.boolean,
  has_prediction: column.boolean,
  acknowledged: column.number,
  answered: column.number,
  wrong: column.number,
  predicted: column.number,
})

/**
 * Who watched a video and how: per learner the credited share, acknowledgements, answers and
 * completion; per breakpoint how many acknowledged, answered and answered wrongly. All in SQL
 * (aggregates over the progress and response indexes), so it holds up for large cohorts.
 */
export async function getVideoReport(user: CurrentUser, videoId: string, locale: Locale) {
  await assertCan(user, 'read:video-reports:all')
  const video = await findVideo(videoId)
  if (!video) throw new Response('Not found', { status: 404 })
  const duration = video.durationSeconds ?? 0
  const learners = parseRows(
    LearnerRow,
    await db.execute(sql`
      with learners as (
        select user_id from video_progress where video_id = ${videoId}
        union
        select r.user_id from breakpoint_responses r join breakpoints b on b.id = r.breakpoint_id where b.video_id = ${videoId}
      ),
      responses as (
        select r.user_id,
               count(*) filter (where r.acknowledged_at is not null and b.must_acknowledge)::int as acknowledged,
               count(r.answer)::int as answered,
               count(*) filter (where r.correct)::int as correct,
               count(r.prediction)::int as predicted
        from breakpoint_responses r join breakpoints b on b.id = r.breakpoint_id
        where b.video_id = ${videoId}
        group by r.user_id
      )
      select u.id as user_id, u.name, u.email, d.path as department,
             coalesce(p.credited_seconds, 0)::float8 as credited, p.completed_at,
             coalesce(r.acknowledged, 0) as acknowledged, coalesce(r.answered, 0) as answered,
             coalesce(r.correct, 0) as correct, coalesce(r.predicted, 0) as predicted
      from learners l
      join users u on u.id = l.user_id
      left join departments d on d.id = u.department_id
      left join video_progress p on p.user_id = l.user_id and p.video_id = ${videoId}
      left join responses r on r.user_id = l.user_id
      order by u.name
      limit ${MAX_LEARNERS + 1}
    `),
  )
  const perBreakpoint = parseRows(
    BreakpointRow,
    await db.execute(sql`
      select b.id, b.time_seconds::float8 as time, b.title, b.must_acknowledge,
             (b.question is not null) as has_question, (b.predict_prompt is not null) as has_prediction,
             count(r.acknowledged_at)::int as acknowledged,
             count(r.answer)::int as answered,
             count(*) filter (where r.correct = false)::int as wrong,
             count(r.prediction)::int as predicted
      from breakpoints b
      left join breakpoint_responses r on r.breakpoint_id = b.id
      where b.video_id = ${videoId}
      group by b.id
      order by b.time_seconds
    `),
  )
  const required = perBreakpoint.filter((b) => b.must_acknowledge).length
  const questions = perBreakpoint.filter((b) => b.has_question).length
  return {
    video: { id: video.id, title: localized(video.title, locale), duration },
    required,
    questions,
    truncated: learners.length > MAX_LEARNERS,
    learners: learners.slice(0, MAX_LEARNERS).map((l) => ({
      id: l.user_id,
      name: l.name,
      email: l.email,
      department: l.department,
      watchedShare: duration > 0 ? Math.min(1, l.credited / duration) : 0,
      completedAt: l.completed_at,
      acknowledged: l.acknowledged,
      answered: l.answered,
      correct: l.correct,
      predicted: l.predicted,
    })),
    breakpoints: perBreakpoint.map((b) => ({
      id: b.id,
      time: b.time,
      title: localized(b.title, locale),
      mustAcknowledge: b.must_acknowledge,
      hasQuestion: b.has_question,
      hasPrediction: b.has_prediction,
      acknowledged: b.acknowledged,
      answered: b.answered,
      wrong: b.wrong,
      predicted: b.predicted,
    })),
  }
}

/** The per-learner report as CSV (UTF-8 with BOM so Excel reads Chinese names), one row per learner. */
export async function videoReportCsv(user: CurrentUser, videoId: string, locale: Locale) {
  const report = await getVideoReport(user, videoId, locale)
  const header =
    locale === 'zh-CN'
      ? ['姓名', '邮箱', '部门', '观看比例(%)', '已确认', '必须确认', '作答', '正确', '问题数', '预测', '完成时间']
      : ['Name', 'Email', 'Department', 'Watched (%)', 'Acknowledged', 'Required', 'Answered', 'Correct', 'Questions', 'Predictions', 'Completed at']
  const rows = report.learners.map((l) => [
    l.name,
    l.email,
    l.department ?? '',
    Math.round(l.watchedShare * 100),
    l.acknowledged,
    report.required,
    l.answered,
    l.correct,
    report.questions,
    l.predicted,
    l.completedAt ? l.completedAt.toISOString() : '',
  ])
  const body = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')
  return { filename: `video-report-${report.video.id}.csv`, text: `\uFEFF${body}\r\n` }
}
