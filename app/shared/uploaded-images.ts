/**
 * The address of an image uploaded for Markdown (lessons, briefing packs): what the browser and
 * the server share. The courses domain stores and serves them (courses/media.server.ts); the
 * Markdown renderer (markdown.server.ts) shows no other image.
 */
const UPLOADED_IMAGE = /^\/media\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Images may only come from our own uploads: no tracking pixels, no mixed content, no data: URLs. */
export function isUploadedImageUrl(url: string) {
  return UPLOADED_IMAGE.test(url)
}

export const imageUrl = (id: string) => `/media/images/${id}`
