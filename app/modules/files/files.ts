/** Shared with the UI: what may be uploaded for which purpose (no server imports). */
export const UPLOAD_PURPOSES = ['slides', 'roleplay-video', 'roleplay-study'] as const
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number]

export const MAX_UPLOAD_BYTES: Record<UploadPurpose, number> = {
  slides: 50 * 1024 * 1024,
  'roleplay-video': 1024 * 1024 * 1024,
  'roleplay-study': 50 * 1024 * 1024,
}

export const PDF_MIME = 'application/pdf'
export const PPTX_MIME = 'application/vnd.openxmlformats-officedocument.presentationml.presentation'

export const ACCEPTED_MIMES: Record<UploadPurpose, readonly string[]> = {
  slides: [PDF_MIME, PPTX_MIME],
  'roleplay-video': ['video/mp4', 'video/quicktime', 'video/webm'],
  // A role-play group's self-study reading: PDF or slides, like case slides.
  'roleplay-study': [PDF_MIME, PPTX_MIME],
}

/** How the upload control names each accepted type to people ("PDF or PPTX", "MP4, MOV or WebM"). */
export const UPLOAD_TYPE_NAMES: Record<string, string> = {
  [PDF_MIME]: 'PDF',
  [PPTX_MIME]: 'PPTX',
  'video/mp4': 'MP4',
  'video/quicktime': 'MOV',
  'video/webm': 'WebM',
}

export const UPLOAD_REJECTION_CODES = ['empty', 'too-large', 'wrong-type', 'corrupt', 'zip-bomb', 'not-found', 'incomplete', 'not-video', 'unplayable'] as const
export type UploadRejectionCode = (typeof UPLOAD_REJECTION_CODES)[number]

export function isUploadPurpose(value: unknown): value is UploadPurpose {
  return typeof value === 'string' && (UPLOAD_PURPOSES as readonly string[]).includes(value)
}

/** The code for a file of the wrong type: slides and videos say different things. */
export function wrongTypeCode(purpose: UploadPurpose): UploadRejectionCode {
  return purpose === 'roleplay-video' ? 'not-video' : 'wrong-type'
}

/** The message key for a refused upload (files.rejected.<code>). */
export function rejectionKey(code: UploadRejectionCode) {
  return `files.rejected.${code}` as const
}
