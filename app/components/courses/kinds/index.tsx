import type { ModuleKind } from '~/modules/courses/kinds'
import { CaseStudyView } from './case-study'
import { LessonView } from './lesson'
import { PrepSheetView } from './prep-sheet'
import { RoleplayView } from './roleplay'
import { QuizView } from './quiz'
import { SessionView } from './session'
import type { ModuleKindView } from './types'
import { VideoView } from './video'

/** The view of every module kind, one line each (the names come from ~/modules/courses/kinds). */
export const moduleKindViews = {
  lesson: LessonView,
  quiz: QuizView,
  prep_sheet: PrepSheetView,
  video: VideoView,
  session: SessionView,
  case_study: CaseStudyView,
  roleplay: RoleplayView,
} satisfies Record<ModuleKind, ModuleKindView>

export type { ModuleAction, ModuleActionData, ModuleData } from './types'
