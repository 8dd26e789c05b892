/**
 * The reaction survey routes on the server: the form posts as a browser sends it, the results
 * loader and CSV as HR and trainers request them.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { surveyResponses } from '#db/schema'
import { writeAttendance } from '~/modules/attendance/attendance.server'
import * as results from '~/routes/sessions.$sessionId.survey-results'
import * as resultsCsv from '~/routes/sessions.$sessionId.survey-results[.csv]'
import * as survey from '~/routes/sessions.$sessionId.survey'
import { createPerson, postAs, requestAs, settle } from '../setup/fixtures'
import { scheduleSession } from '../setup/sessions'

const context = { clientIp: '127.0.0.1' }

describe('survey routes', () => {
  it('takes the form as posted, refuses a second answer with a message key, and shows no name for an anonymous answer', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const person = await createPerson({ name: '匿名测试人' })
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() - 3 * 3_600_000), trainerIds: [trainer.id] })
    await writeAttendance(db, { sessionId, userId: person.id, status: 'late', method: 'trainer', by: trainer.id })
    const params = { sessionId }

    const missing = (await survey.action({ request: await postAs(person, `/sessions/${sessionId}/survey`, { content: '4' }), params, context })) as {
      result: { error: Record<string, string[]> }
    }
    expect(missing.result.error).toMatchObject({ trainer: ['surveys.ratingRequired'], usefulness: ['surveys.ratingRequired'] })

    const form = { content: '4', trainer: '5', usefulness: '2', comment: '  多一些案例  ', anonymous: 'on' }
    const sent = await survey.action({ request: await postAs(person, `/sessions/${sessionId}/survey`, form), params, context })
    expect(sent).toMatchObject({ sent: true })
    const again = (await survey.action({ request: await postAs(person, `/sessions/${sessionId}/survey`, form), params, context })) as {
      result: { error: Record<string, string[]> }
    }
    expect(again.result.error['']).toEqual(['surveys.alreadyAnswered'])
    const rows = await db.select().from(surveyResponses).where(eq(surveyResponses.sessionId, sessionId))
    expect(rows).toEqual([
      expect.objectContaining({ anonymous: true, userId: null, contentRating: 4, trainerRating: 5, usefulnessRating: 2, comment: '多一些案例' }),
    ])

    const page = await results.loader({ request: await requestAs(trainer, `/sessions/${sessionId}/survey-results`), params, context })
    expect(page.comments).toEqual([{ anonymous: true, name: null, comment: '多一些案例' }])
    expect(JSON.stringify(page)).not.toContain(person.id)
    const csv = (await resultsCsv.loader({ request: await requestAs(hr, `/sessions/${sessionId}/survey-results.csv`), params, context })) as Response
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    const text = await csv.text()
    expect(text).toContain('多一些案例')
    expect(text).not.toContain('匿名测试人')
  })

  it('refuses the survey page to people who did not attend, and the results to a trainer of another session', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const otherTrainer = await createPerson({ roles: ['trainer'] })
    const invitee = await createPerson()
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() - 3 * 3_600_000), trainerIds: [trainer.id] })
    const params = { sessionId }
    const page = (await settle(async () => survey.loader({ request: await requestAs(invitee, `/sessions/${sessionId}/survey`), params, context }))) as Response
    expect(page.status).toBe(403)
    const denied = (await settle(async () =>
      results.loader({ request: await requestAs(otherTrainer, `/sessions/${sessionId}/survey-results`), params, context }),
    )) as Response
    expect(denied.status).toBe(403)
  })
})
