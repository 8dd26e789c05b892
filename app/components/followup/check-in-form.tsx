import { Form, useNavigation } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { FieldErrors } from '~/components/ui/field'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { CHECK_IN_TEXT_MAX, checkInFieldNames } from '~/modules/followup/followup'

type FieldName = (typeof checkInFieldNames)[number]
type Values = Record<FieldName, string>
type OpenCheckIn = Values & { id: string; dueOn: string; updatedAt: string | Date }

const storageKey = (id: string) => `genjin.check-in.${id}`

/** Drops the browser copies of check-ins that are logged now (their text is on the server). */
export function forgetLocalDrafts(ids: string[]) {
  for (const id of ids) window.localStorage.removeItem(storageKey(id))
}

function readLocal(id: string): { values: Values; at: number } | null {
  try {
    const raw = window.localStorage.getItem(storageKey(id))
    return raw ? (JSON.parse(raw) as { values: Values; at: number }) : null
  } catch {
    return null
  }
}

type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'signedOut' | 'failed'

/**
 * The check-in log. Every keystroke is kept in this browser at once (localStorage) and saved to
 * the server a moment later; a session that timed out makes the save fail with 401, never a
 * redirect, so the page and the text stay, and the copy in the browser is restored on return.
 */
export function CheckInForm({
  checkIn,
  today,
  errors,
  prep,
}: {
  checkIn: OpenCheckIn
  today: string
  errors?: Record<string, string[]>
  /** The employee's shared preparation sheet as text, which the manager can take into the employee's input. */
  prep?: string | null
}) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const navigation = useNavigation()
  const initial = Object.fromEntries(checkInFieldNames.map((f) => [f, checkIn[f] ?? ''])) as Values
  const [values, setValues] = useState<Values>(initial)
  const [state, setState] = useState<SaveState>('idle')
  const [savedAt, setSavedAt] = useState<string | Date>(checkIn.updatedAt)
  const [restored, setRestored] = useState(false)
  const latest = useRef(values)
  const timer = useRef<ReturnType<typeof setTimeout>>()

  const save = useCallback(
    async (keepalive = false) => {
      clearTimeout(timer.current)
      const sent = latest.current
      setState('saving')
      try {
        const response = await fetch('/team/follow-up/draft', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ checkInId: checkIn.id, ...sent }),
          keepalive,
          credentials: 'same-origin',
        })
        if (response.status === 401) return setState('signedOut')
        const body = (await response.json().catch(() => null)) as { ok?: boolean; savedAt?: string } | null
        if (!response.ok || !body?.ok) return setState('failed')
        setSavedAt(body.savedAt ?? new Date())
        if (latest.current === sent) {
          window.localStorage.removeItem(storageKey(checkIn.id))
          setState('saved')
        } else setState('pending')
      } catch {
        setState('failed')
      }
    },
    [checkIn.id],
  )

  // What this browser kept but the server may not have (a timed-out session, a closed tab) comes back first.
  useEffect(() => {
    const local = readLocal(checkIn.id)
    if (!local) return
    const differs = checkInFieldNames.some((f) => (local.values[f] ?? '') !== (initial[f] ?? ''))
    if (!differs) return window.localStorage.removeItem(storageKey(checkIn.id))
    latest.current = { ...initial, ...local.values }
    setValues(latest.current)
    setRestored(true)
    void save()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checkIn.id])

  // Retry when the person is back (after signing in again in another tab, or back online).
  useEffect(() => {
    const retry = () => {
      if (readLocal(checkIn.id)) void save()
    }
    const flush = () => {
      if (document.visibilityState === 'hidden' && readLocal(checkIn.id)) void save(true)
    }
    window.addEventListener('focus', retry)
    window.addEventListener('online', retry)
    document.addEventListener('visibilitychange', flush)
    return () => {
      window.removeEventListener('focus', retry)
      window.removeEventListener('online', retry)
      document.removeEventListener('visibilitychange', flush)
      clearTimeout(timer.current)
    }
  }, [checkIn.id, save])

  const change = (field: FieldName, value: string) => {
    latest.current = { ...latest.current, [field]: value }
    setValues(latest.current)
    window.localStorage.setItem(storageKey(checkIn.id), JSON.stringify({ values: latest.current, at: Date.now() }))
    setState('pending')
    clearTimeout(timer.current)
    timer.current = setTimeout(() => void save(), 1200)
  }

  const status =
    state === 'saving'
      ? t('followup.draft.saving')
      : state === 'pending'
        ? t('followup.draft.unsaved')
        : state === 'signedOut'
          ? t('followup.draft.signedOut')
          : state === 'failed'
            ? t('followup.draft.failed')
            : state === 'idle' && checkInFieldNames.every((f) => !values[f])
              ? ''
              : t('followup.draft.savedAt', { time: formatDateTime(savedAt) })

  return (
    <Form method="post" className="space-y-4" onSubmit={() => clearTimeout(timer.current)} data-testid="check-in-form">
      <input type="hidden" name="checkInId" value={checkIn.id} />
      {restored ? (
        <p className="notice" role="status">
          {t('followup.draft.restored')}
        </p>
      ) : null}
      {checkInFieldNames.map((f) => {
        const id = `check-in-${f}`
        return (
          <div key={f} className="space-y-1">
            <label htmlFor={id} className="label">
              {t(`followup.field.${f}`)}
            </label>
            <p id={`${id}-help`} className="text-sm text-slate-600">
              {t(`followup.field.${f}.help`)}
            </p>
            <textarea
              id={id}
              name={f}
              rows={f === 'progress' ? 4 : 3}
              maxLength={CHECK_IN_TEXT_MAX}
              className="input"
              value={values[f]}
              onChange={(e) => change(f, e.target.value)}
              aria-describedby={`${id}-help${errors?.[f] ? ` ${id}-error` : ''}`}
              aria-invalid={errors?.[f] ? true : undefined}
            />
            <FieldErrors id={`${id}-error`} errors={errors?.[f]} />
            {f === 'employeeInput' && prep ? (
              <button
                type="button"
                className="btn-secondary min-h-11"
                disabled={values.employeeInput.includes(prep)}
                onClick={() => change('employeeInput', values.employeeInput ? `${values.employeeInput}\n\n${prep}` : prep)}
              >
                {t('followup.prep.use')}
              </button>
            ) : null}
          </div>
        )
      })}
      <div className="space-y-1">
        <label htmlFor="check-in-held-on" className="label">
          {t('followup.field.heldOn')}
        </label>
        <input id="check-in-held-on" type="date" name="heldOn" defaultValue={today} max={today} required className="input max-w-xs" />
        <FieldErrors id="check-in-held-on-error" errors={errors?.heldOn} />
      </div>
      <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50 py-3 shadow-[0_-4px_8px_-6px_rgba(15,23,42,0.25)]">
        <button type="submit" name="intent" value="log" className="btn-primary" disabled={navigation.state !== 'idle'}>
          {t('followup.log')}
        </button>
        <span className="text-sm text-slate-600" role="status" aria-live="polite" data-save-status={state}>
          {status}
        </span>
        {state === 'signedOut' ? (
          <a href="/login" target="_blank" rel="noreferrer" className="text-sm">
            {t('followup.draft.signIn')}
          </a>
        ) : null}
      </div>
    </Form>
  )
}
