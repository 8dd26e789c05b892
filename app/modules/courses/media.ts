/** Images uploaded for lesson Markdown: what the browser and the server share (no server imports). */

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
export const imageMimes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const
export type ImageMime = (typeof imageMimes)[number]

const UPLOADED_IMAGE = /^\/media\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Lesson images may only come from our own uploads: no tracking pixels, no mixed content, no data: URLs. */
export function isUploadedImageUrl(url: string) {
  return UPLOADED_IMAGE.test(url)
}

export const imageUrl = (id: string) => `/media/images/${id}`

/** Markdown for an image; brackets in the alt text would end it early. */
export function imageMarkdown(alt: string, id: string) {
  const safeAlt = alt
    .replace(/[[\]\\]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .trim()
  return `![${safeAlt}](${imageUrl(id)})`
}
