import type { useLoaderData } from '@remix-run/react'
import type { getModuleForLearner, completeLesson, savePrepSheet, sharePrepSheet, QuizError } from '~/modules/courses/learning.server'

/** What the module route's loader gives a kind's view (types only: nothing from the server is bundled). */
export type ModuleData = ReturnType<typeof useLoaderData<typeof getModuleForLearner>>

/** What the module route's action answers, per intent. */
export type ModuleActionData =
  | { intent: 'position' }
  | ({ intent: 'complete' } & Awaited<ReturnType<typeof completeLesson>>)
  | { intent: 'start' | 'submit'; ok: false; error: QuizError; questions: string[]; answers: Record<string, string[]> }
  | ({ intent: 'save' } & Awaited<ReturnType<typeof savePrepSheet>>)
  | ({ intent: 'share' } & Awaited<ReturnType<typeof sharePrepSheet>>)
export type ModuleAction = () => Promise<ModuleActionData>

export type ModuleKindView = (props: { data: ModuleData }) => JSX.Element | null
