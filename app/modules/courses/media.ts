/** Images uploaded for lesson Markdown: what the browser and the server share (no server imports). */
import { imageUrl } from '~/shared/uploaded-images'

export { imageUrl, isUploadedImageUrl } from '~/shared/uploaded-images'

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
export const imageMimes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const
export type ImageMime = (typeof imageMimes)[number]

/** Markdown for an image; brackets in the alt text would end it early. */
export function imageMarkdown(alt: string, id: string) {
  const safeAlt = alt
    .replace(/[[\]\\]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .trim()
  return `![${safeAlt}](${imageUrl(id)})`
}
