import { Link } from '@remix-run/react'
import { LearnerPlayer } from '~/components/video/learner-player'
import { useT } from '~/i18n/use-t'
import { ModuleIntro } from './lesson-text'
import type { ModuleData } from './types'

/** A teaching video: the module's introduction, the learner's player, and the rule that completes it. */
export function VideoView({ data }: { data: ModuleData }) {
  const t = useT()
  const video = data.video
  const player = video?.player ?? null
  return (
    <div className="space-y-3">
      <ModuleIntro html={data.module.html} />
      <p className="text-sm text-slate-700" data-rule="video">
        {t('module.video.rule')}
      </p>
      {data.status === 'completed' ? (
        <p className="notice" role="status" data-video-module-done>
          {t('module.video.done')}
        </p>
      ) : null}
      {player ? (
        <section className="space-y-2" aria-label={player.video.title} data-video-module={player.video.id}>
          <div className="flex flex-wrap items-baseline gap-2">
            <h2 className="mr-auto text-lg font-semibold">{player.video.title}</h2>
            {player.video.pair ? (
              <Link to={`/videos/compare/${player.video.id}`} className="text-sm">
                {t('module.video.compare', { kind: t(`videos.kind.${player.video.pair.kind}`) })}
              </Link>
            ) : null}
            <Link to={`/videos/${player.video.id}`} className="text-sm">
              {t('module.video.openFull')}
            </Link>
          </div>
          <LearnerPlayer key={player.video.id} data={player} />
        </section>
      ) : (
        <p className="alert" role="alert">
          {t(video?.unavailable === 'forbidden' ? 'module.video.forbidden' : 'module.video.missing')}
        </p>
      )}
    </div>
  )
}
