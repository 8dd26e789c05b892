import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { formatAt } from '~/modules/roleplay/roleplay'

type Reply = { id: number; body: string; author: string }
export type ThreadComment = {
  id: number
  atMs: number | null
  tone: 'praise' | 'correction' | 'reply'
  keyPoints: number[]
  body: string
  author: string
  editedAt: string | Date | null
  replies: Reply[]
}

/**
 * The time-coded comments in time order: each jumps the player to its moment, shows its tone and
 * key points, its replies and (when allowed) a reply form. `actions` adds the trainer's buttons.
 */
export function CommentThread({
  comments,
  activeId,
  onJump,
  canReply,
  replyErrors,
  actions,
}: {
  comments: ThreadComment[]
  activeId: number | null
  onJump: (comment: ThreadComment) => void
  canReply: boolean
  replyErrors?: string[]
  actions?: (comment: ThreadComment) => ReactNode
}) {
  const t = useT()
  if (comments.length === 0) return <p className="text-sm text-slate-700">{t('rp.comments.none')}</p>
  return (
    <ol className="space-y-3" aria-label={t('rp.comments.title')} data-comments>
      {comments.map((c) => (
        <li
          key={c.id}
          className={`rounded border p-3 ${activeId === c.id ? 'border-teal-700 bg-teal-50' : 'border-slate-200'}`}
          data-comment={c.atMs ?? 0}
          aria-current={activeId === c.id ? 'true' : undefined}
        >
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              className="btn-secondary min-h-11 font-mono"
              onClick={() => onJump(c)}
              aria-label={t('rp.comments.jump', { at: formatAt(c.atMs ?? 0) })}
            >
              ▶ {formatAt(c.atMs ?? 0)}
            </button>
            <span className={`badge ${c.tone === 'praise' ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-900'}`}>{t(`rp.tone.${c.tone}`)}</span>
            {c.keyPoints.map((k) => (
              <span key={k} className="badge" title={t(`rp.kp.${k}`)}>
                {t('rp.comments.keyPoint', { n: k })}
              </span>
            ))}
            <span className="text-xs text-slate-600">
              {c.author}
              {c.editedAt ? ` · ${t('rp.comments.edited')}` : ''}
            </span>
          </div>
          <p className="mt-2 whitespace-pre-line">{c.body}</p>
          {actions?.(c)}
          {c.replies.length > 0 ? (
            <ul className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3">
              {c.replies.map((r) => (
                <li key={r.id} className="text-sm" data-reply>
                  <span className="font-medium">{r.author}:</span> {r.body}
                </li>
              ))}
            </ul>
          ) : null}
          {canReply ? (
            <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="reply" />
              <input type="hidden" name="commentId" value={c.id} />
              <label className="grow">
                <span className="sr-only">{t('rp.comments.reply')}</span>
                <input name="body" className="input" placeholder={t('rp.comments.replyPlaceholder')} maxLength={2000} required />
              </label>
              <button type="submit" className="btn-secondary min-h-11">
                {t('rp.comments.reply')}
              </button>
              {activeId === c.id ? <FieldErrors errors={replyErrors} /> : null}
            </Form>
          ) : null}
        </li>
      ))}
    </ol>
  )
}
