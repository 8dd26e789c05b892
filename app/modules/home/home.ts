/**
 * What a home page shows, whoever it is for: the person's next actions first (most urgent on
 * top), then panels. Labels are message keys with variables, so the page renders them in the
 * viewer's language; `label` is data (a session title, a person's name) shown as written.
 */
import type { Localized } from '~/i18n/define'

export type { Localized }
/** A variable is shown as written, except a Localized one, shown in the viewer's language. */
export type HomeText = { key: string; vars?: Record<string, string | number | Localized> }

export type HomeAction = {
  id: string
  text: HomeText
  href: string
  /** A date the action is about (a session's start, a due date), shown beside it. */
  at?: string
  tone?: 'urgent' | 'normal'
}

export type PanelItem = {
  id: string
  label: string
  href: string
  note?: HomeText
  at?: string
  tone?: 'urgent' | 'normal' | 'good'
}

export type HomePanel = {
  id: string
  title: HomeText
  items: PanelItem[]
  /** Shown when there are no items. */
  empty: HomeText
  /** A status line above the items (e.g. "period open until …"). */
  status?: HomeText
  more?: { href: string; text: HomeText }
}

export type Home = { kind: 'hr' | 'trainer' | 'lecturer' | 'manager' | 'employee'; actions: HomeAction[]; panels: HomePanel[] }
