import { useT } from '~/i18n/use-t'

/**
 * The invited person's answer to a session, for a form posting to My sessions' action (a page
 * form or a fetcher's): accept (unless already accepted or wait-listed) and decline, which
 * leaves the wait-list for a wait-listed person.
 */
export function InvitationAnswerFields({ sessionId, status, busy }: { sessionId: string; status: string; busy: boolean }) {
  const t = useT()
  return (
    <>
      <input type="hidden" name="sessionId" value={sessionId} />
      {status !== 'accepted' && status !== 'waitlisted' ? (
        <button type="submit" name="intent" value="accept" className="btn-primary min-w-28" disabled={busy}>
          {t('mySessions.accept')}
        </button>
      ) : null}
      {status !== 'declined' ? (
        <button type="submit" name="intent" value="decline" className="btn-secondary min-w-28" disabled={busy}>
          {status === 'waitlisted' ? t('mySessions.leaveWaitlist') : t('mySessions.decline')}
        </button>
      ) : null}
    </>
  )
}
