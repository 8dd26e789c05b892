import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { enrolments } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { moduleBase } from '../content-schema'
import { findModule, guarded, inTransaction, touchProgress, writableContext } from '../learner.server'
import { defineModuleKind } from './kind.server'

/** A lesson: Markdown text, completed when read to the end (or the button says so). */
export const LessonModuleSchema = z.object({ ...moduleBase, kind: z.literal('lesson') }).strict()

export const lesson = defineModuleKind({ kind: 'lesson', content: LessonModuleSchema })

/** Remembers how far down a lesson the person has read (percent), to resume there. */
export async function recordPosition(user: CurrentUser, courseKey: string, moduleKey: string, position: number) {
  const { course, enrolment } = await guarded(user, () => writableContext(db, user, courseKey))
  const module = await findModule(db, course.id, moduleKey)
  await touchProgress(db, enrolment, module, { position: Math.max(0, Math.min(100, Math.round(position))) })
  return { ok: true as const }
}

/** A lesson read to the end. Only lessons complete this way; quizzes and prep sheets have their own rules. */
export async function completeLesson(user: CurrentUser, courseKey: string, moduleKey: string) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'lesson') return { ok: false as const, error: 'courses.lesson.notALesson' }
    await touchProgress(tx, enrolment, module, { position: 100, complete: true })
    const [after] = await tx.select({ completedAt: enrolments.completedAt }).from(enrolments).where(eq(enrolments.id, enrolment.id))
    return { ok: true as const, courseCompleted: Boolean(after.completedAt) }
  })
}
