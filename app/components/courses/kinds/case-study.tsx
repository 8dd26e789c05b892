import { CaseAnalysisModule } from '~/components/cases/case-analysis-module'
import { ModuleIntro } from './lesson-text'
import type { ModuleData } from './types'

/** Group case analysis: the module's introduction, then the learner's groups and what completes it. */
export function CaseStudyView({ data }: { data: ModuleData }) {
  return (
    <div className="space-y-3">
      <ModuleIntro html={data.module.html} />
      <CaseAnalysisModule groups={data.caseAnalysis ?? null} />
    </div>
  )
}
