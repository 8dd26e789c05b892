import { useT } from '~/i18n/use-t'
import { LessonText } from './lesson-text'
import type { ModuleData } from './types'

/** A kind whose feature does not exist yet: its introduction and a note on what comes. */
export function PlaceholderView({ data }: { data: ModuleData }) {
  const t = useT()
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <div className="card border-dashed border-amber-400 bg-amber-50" role="note">
        <p className="font-semibold text-amber-900">{t(`module.comingWith.${data.module.kind}`)}</p>
        <p className="mt-1 text-sm text-amber-900">
          {t('module.placeholderNote')} {data.module.required ? t('module.placeholderRequired') : t('module.placeholderOptional')}
        </p>
      </div>
    </div>
  )
}
