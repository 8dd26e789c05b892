export function LessonText({ html }: { html: string }) {
  if (!html) return null
  // Rendered on the server by markdown-it with raw HTML escaped and links restricted.
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
}

/** The module's own introduction (its Markdown), in a card; nothing when it has none. */
export function ModuleIntro({ html }: { html: string | null | undefined }) {
  if (!html) return null
  return (
    <div className="card">
      <LessonText html={html} />
    </div>
  )
}
