import { DndContext, KeyboardSensor, PointerSensor, TouchSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core'
import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useT } from '~/i18n/use-t'

export type BoardPerson = { userId: string; name: string; department: string; seniority: number }
export type BoardGroup = { id: string; name: string; members: BoardPerson[] }

const NONE = 'none'

/**
 * The groups as columns; people move by drag-and-drop (pointer, touch, or keyboard: focus a
 * person, Space to pick up, arrows to move, Space to drop — dnd-kit announces each step) or
 * with the "Move to" menu, which also works without JavaScript.
 */
export function GroupBoard({ groups, unassigned }: { groups: BoardGroup[]; unassigned: BoardPerson[] }) {
  const t = useT()
  const fetcher = useFetcher<{ ok?: boolean }>()
  // Where people were dropped, shown at once; the reload after the move confirms it.
  const [moved, setMoved] = useState<Record<string, string>>({})
  useEffect(() => {
    if (fetcher.state === 'idle') setMoved({})
  }, [fetcher.state, groups])
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  )
  const everyone = [...groups.flatMap((g) => g.members.map((m) => ({ ...m, at: g.id }))), ...unassigned.map((m) => ({ ...m, at: NONE }))]
  const placed = everyone.map((p) => ({ ...p, at: moved[p.userId] ?? p.at }))
  const columns = [...groups.map((g) => ({ id: g.id, title: t('groups.groupName', { name: g.name }) })), { id: NONE, title: t('groups.unassigned') }]
  const nameOf = (id: string) => columns.find((c) => c.id === id)?.title ?? ''

  function onDragEnd(event: DragEndEvent) {
    const userId = String(event.active.id)
    const to = event.over ? String(event.over.id) : null
    const person = placed.find((p) => p.userId === userId)
    if (!to || !person || person.at === to) return
    setMoved((m) => ({ ...m, [userId]: to }))
    fetcher.submit({ intent: 'move', userId, groupId: to === NONE ? '' : to }, { method: 'post' })
  }

  return (
    <DndContext
      sensors={sensors}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements: {
          onDragStart: ({ active }) => t('groups.dnd.picked', { name: placed.find((p) => p.userId === active.id)?.name ?? '' }),
          onDragOver: ({ over }) => (over ? t('groups.dnd.over', { group: nameOf(String(over.id)) }) : ''),
          onDragEnd: ({ over }) => (over ? t('groups.dnd.dropped', { group: nameOf(String(over.id)) }) : t('groups.dnd.cancelled')),
          onDragCancel: () => t('groups.dnd.cancelled'),
        },
        screenReaderInstructions: { draggable: t('groups.dnd.instructions') },
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-group-board>
        {columns.map((c) => (
          <Column key={c.id} id={c.id} title={c.title} people={placed.filter((p) => p.at === c.id)} columns={columns} />
        ))}
      </div>
    </DndContext>
  )
}

function Column({
  id,
  title,
  people,
  columns,
}: {
  id: string
  title: string
  people: (BoardPerson & { at: string })[]
  columns: { id: string; title: string }[]
}) {
  const t = useT()
  const { setNodeRef, isOver } = useDroppable({ id })
  const departments = new Set(people.map((p) => p.department)).size
  return (
    <section
      ref={setNodeRef}
      aria-label={title}
      data-group-column={id}
      className={`min-h-24 rounded-lg border bg-white p-3 ${isOver ? 'border-sky-600 ring-2 ring-sky-300' : 'border-slate-200'}`}
    >
      <h3 className="flex items-baseline justify-between gap-2 text-base font-semibold">
        <span>{title}</span>
        <span className="text-xs font-normal text-slate-600">{t('groups.columnSummary', { count: people.length, departments })}</span>
      </h3>
      <ul className="mt-2 space-y-1">
        {people.map((p) => (
          <Person key={p.userId} person={p} columns={columns} />
        ))}
      </ul>
    </section>
  )
}

function Person({ person, columns }: { person: BoardPerson & { at: string }; columns: { id: string; title: string }[] }) {
  const t = useT()
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: person.userId })
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined
  const fetcher = useFetcher()
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={`flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-2 py-1 text-sm ${isDragging ? 'z-10 shadow-lg' : ''}`}
      data-person={person.name}
    >
      <button
        type="button"
        className="min-h-9 cursor-grab touch-none rounded px-1 font-medium"
        {...listeners}
        {...attributes}
        aria-label={t('groups.dnd.handle', { name: person.name })}
      >
        ⠿ {person.name}
      </button>
      <span className="text-xs text-slate-600">
        {person.department}
        {person.seniority > 0 ? ` · ${t(`groups.seniority.${person.seniority}`)}` : ''}
      </span>
      <fetcher.Form method="post" className="ml-auto flex items-center gap-1">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="userId" value={person.userId} />
        <label className="sr-only" htmlFor={`move-${person.userId}`}>
          {t('groups.moveTo', { name: person.name })}
        </label>
        <select
          id={`move-${person.userId}`}
          name="groupId"
          defaultValue={person.at === NONE ? '' : person.at}
          className="input !w-auto !py-0.5 text-xs"
          key={person.at}
        >
          {columns.map((c) => (
            <option key={c.id} value={c.id === NONE ? '' : c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-secondary !px-2 !py-0.5 text-xs">
          {t('groups.move')}
        </button>
      </fetcher.Form>
    </li>
  )
}
