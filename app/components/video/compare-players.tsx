import { useState } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import type { getComparison } from '~/modules/videos/videos.server'
import { formatTime } from '~/modules/videos/videos'
import { VideoPlayer, type PlayerHandle } from './video-player'

type Comparison = Awaited<ReturnType<typeof getComparison>>

/** Two videos side by side (stacked on a phone); a matched breakpoint moves both to its moment. */
export function ComparePlayers({ data }: { data: Comparison }) {
  const t = useT()
  const locale = useLocale()
  const [handles, setHandles] = useState<{ left?: PlayerHandle; right?: PlayerHandle }>({})
  const [selected, setSelected] = useState<string | null>(null)
  const match = data.matches.find((m) => m.matchId === selected) ?? null

  const jump = (matchId: string) => {
    const m = data.matches.find((x) => x.matchId === matchId)
    if (!m) return
    setSelected(matchId)
    for (const [h, time] of [
      [handles.left, m.left.time],
      [handles.right, m.right.time],
    ] as const) {
      if (!h) continue
      h.video.pause()
      h.video.currentTime = time
    }
  }

  const sides = [
    { key: 'left' as const, video: data.left, bp: match?.left },
    { key: 'right' as const, video: data.right, bp: match?.right },
  ]
  return (
    <div className="space-y-4" data-testid="compare" data-ready={handles.left && handles.right ? 'true' : 'false'}>
      <div className="grid gap-4 md:grid-cols-2">
        {sides.map(({ key, video, bp }) => (
          <section key={key} className="space-y-2" aria-labelledby={`compare-${key}`} data-testid={`compare-${key}`}>
            <h2 id={`compare-${key}`} className="flex items-center gap-2">
              <span className={`badge ${video.kind === 'positive' ? 'bg-green-100 text-green-900' : 'bg-red-100 text-red-900'}`}>
                {t(`videos.kind.${video.kind}`)}
              </span>
              <span className="text-base">{video.title}</span>
            </h2>
            <div className="overflow-hidden rounded-lg bg-black">
              <VideoPlayer
                id={`compare-player-${key}`}
                src={video.src}
                playbackId={video.playbackId}
                tokens={video.tokens}
                poster={video.poster}
                title={video.title}
                captions={video.captions}
                captionLocale={locale}
                onReady={(h) => setHandles((prev) => ({ ...prev, [key]: h }))}
              />
            </div>
            {bp ? (
              <div className="card space-y-1" aria-live="polite" data-testid={`commentary-${key}`}>
                <p className="text-xs text-slate-600">
                  {formatTime(bp.time)} · {t('videos.keyPoints', { points: bp.keyPoints.join(', ') })}
                </p>
                <h3 className="font-semibold">{bp.title}</h3>
                <p className="text-sm leading-relaxed">{bp.commentary}</p>
              </div>
            ) : null}
          </section>
        ))}
      </div>
      <section aria-labelledby="matched-heading" className="card">
        <h2 id="matched-heading">{t('videos.matched')}</h2>
        <p className="mt-1 text-sm text-slate-700">{t('videos.matchedHint')}</p>
        <ol className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {data.matches.map((m, i) => (
            <li key={m.matchId}>
              <button
                type="button"
                data-testid={`match-${m.matchId}`}
                aria-pressed={selected === m.matchId}
                onClick={() => jump(m.matchId)}
                className={`w-full rounded-md border p-3 text-left text-sm hover:bg-slate-50 ${selected === m.matchId ? 'border-brand-700 bg-brand-50' : 'border-slate-300 bg-white'}`}
              >
                <span className="block text-xs text-slate-600">
                  {i + 1}. {formatTime(m.left.time)} ↔ {formatTime(m.right.time)}
                </span>
                <span className="block text-red-900">{m.left.title}</span>
                <span className="block text-green-900">{m.right.title}</span>
              </button>
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}
