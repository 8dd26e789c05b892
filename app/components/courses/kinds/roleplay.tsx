import { RoleplayModule } from '~/components/roleplay/roleplay-module'
import { LessonText } from './lesson-text'
import type { ModuleData } from './types'

/** Role-play: the module's introduction, then the learner's groups and whether their skit is reviewed. */
export function RoleplayView({ data }: { data: ModuleData }) {
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <RoleplayModule groups={data.roleplay ?? null} />
    </div>
  )
}
