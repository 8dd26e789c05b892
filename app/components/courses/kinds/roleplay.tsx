import { RoleplayModule } from '~/components/roleplay/roleplay-module'
import { ModuleIntro } from './lesson-text'
import type { ModuleData } from './types'

/** Role-play: the module's introduction, then the learner's groups and whether their skit is reviewed. */
export function RoleplayView({ data }: { data: ModuleData }) {
  return (
    <div className="space-y-3">
      <ModuleIntro html={data.module.html} />
      <RoleplayModule groups={data.roleplay ?? null} />
    </div>
  )
}
