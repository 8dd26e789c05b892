export function LessonText({ html }: { html: string }) {
  if (!html) return null
  // Rendered on the server by markdown-it with raw HTML escaped and links restricted.
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
}
