import { useCallback, useEffect, useRef, useState } from 'react'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { rubricScore } from '~/modules/roleplay/roleplay'
import { RubricFields } from './rubric-fields'

type Values = { levels: Record<string, number>; summary: string }
type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'offline' | 'signedOut' | 'failed'

const storageKey = (id: string) => `genjin.roleplay-score.${id}`

function readLocal(id: string): Values | null {
  try {
    const raw = window.localStorage.getItem(storageKey(id))
    return raw ? (JSON.parse(raw) as Values) : null
  } catch {
    return null
  }
}

/**
 * The live score sheet of one group, for a tablet in class. Works like the check-in log
 * (components/followup/check-in-form.tsx): every tap and keystroke is kept in this browser at
 * once (localStorage) and saved to the server a moment later; when the Wi-Fi drops nothing is
 * lost, and the sheet syncs when the browser is back online (or on focus, or on reload).
 */
export function LiveScoreSheet({
  assignmentId,
  initial,
  focus,
  savedAt: serverSavedAt,
  disabled,
}: {
  assignmentId: string
  initial: Values
  focus: number[]
  savedAt: string | Date | null
  disabled: boolean
}) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const [values, setValues] = useState<Values>(initial)
  const [state, setState] = useState<SaveState>('idle')
  const [savedAt, setSavedAt] = useState<string | Date | null>(serverSavedAt)
  const latest = useRef(values)
  const timer = useRef<ReturnType<typeof setTimeout>>()

  const save = useCallback(async () => {
    clearTimeout(timer.current)
    const sent = latest.current
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return setState('offline')
    setState('saving')
    try {
      const response = await fetch(`/roleplays/${assignmentId}/score`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(sent),
        credentials: 'same-origin',
      })
      if (response.status === 401) return setState('signedOut')
      const body = (await response.json().catch(() => null)) as { ok?: boolean; savedAt?: string } | null
      if (!response.ok || !body?.ok) return setState('failed')
      setSavedAt(body.savedAt ?? new Date())
      if (latest.current === sent) {
        window.localStorage.removeItem(storageKey(assignmentId))
        setState('saved')
      } else setState('pending')
    } catch {
      setState(navigator.onLine === false ? 'offline' : 'failed')
    }
  }, [assignmentId])

  // What this tablet kept but the server may not have comes back first, and is sent.
  useEffect(() => {
    const local = readLocal(assignmentId)
    if (!local) return
    latest.current = { levels: { ...initial.levels, ...local.levels }, summary: local.summary }
    setValues(latest.current)
    void save()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assignmentId])

  useEffect(() => {
    const retry = () => {
      if (readLocal(assignmentId)) void save()
    }
    const offline = () => setState((s) => (readLocal(assignmentId) ? 'offline' : s))
    window.addEventListener('online', retry)
    window.addEventListener('focus', retry)
    window.addEventListener('offline', offline)
    return () => {
      window.removeEventListener('online', retry)
      window.removeEventListener('focus', retry)
      window.removeEventListener('offline', offline)
      clearTimeout(timer.current)
    }
  }, [assignmentId, save])

  const change = (next: Values) => {
    latest.current = next
    setValues(next)
    window.localStorage.setItem(storageKey(assignmentId), JSON.stringify(next))
    setState('pending')
    clearTimeout(timer.current)
    timer.current = setTimeout(() => void save(), 800)
  }

  const score = rubricScore(values.levels)
  const status =
    state === 'saving'
      ? t('followup.draft.saving')
      : state === 'pending'
        ? t('followup.draft.unsaved')
        : state === 'offline'
          ? t('rp.live.offline')
          : state === 'signedOut'
            ? t('followup.draft.signedOut')
            : state === 'failed'
              ? t('followup.draft.failed')
              : savedAt
                ? t('followup.draft.savedAt', { time: formatDateTime(savedAt) })
                : ''
  return (
    <div className="space-y-3" data-live-sheet data-save-state={state}>
      <div className="sticky top-0 z-10 flex flex-wrap items-center gap-3 bg-white/95 py-2">
        <p className="text-xl font-semibold" data-live-score>
          {score === null ? t('rp.live.scorePending', { n: Object.keys(values.levels).length }) : t('rp.review.score', { score })}
        </p>
        <p className="ml-auto text-sm text-slate-700" role="status" aria-live="polite" suppressHydrationWarning>
          {status}
        </p>
      </div>
      <RubricFields
        levels={values.levels}
        focus={focus}
        disabled={disabled}
        onChange={(k, level) => change({ ...latest.current, levels: { ...latest.current.levels, [String(k)]: level } })}
      />
      <label className="block">
        <span className="label">{t('rp.rubric.summary')}</span>
        <textarea
          name="summary"
          rows={5}
          className="input"
          value={values.summary}
          disabled={disabled}
          maxLength={10000}
          onChange={(e) => change({ ...latest.current, summary: e.currentTarget.value })}
        />
      </label>
    </div>
  )
}
