import { CaseAnalysisModule } from '~/components/cases/case-analysis-module'
import { LessonText } from './lesson-text'
import type { ModuleData } from './types'

/** Group case analysis: the module's introduction, then the learner's groups and what completes it. */
export function CaseStudyView({ data }: { data: ModuleData }) {
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <CaseAnalysisModule groups={data.caseAnalysis ?? null} />
    </div>
  )
}
