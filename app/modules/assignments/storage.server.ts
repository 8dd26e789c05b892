/**
 * The storage module's functions this domain uses (app/modules/files): claiming a finished
 * upload as a stored file, PDF previews of PPTX slides, and the read rule for slides.
 */
export { claimUpload, UploadRejected, uploadLimit, uploadRejectionMessage } from '~/modules/files/uploads.server'
export { requestPdfPreview, getPreview } from '~/modules/files/previews.server'
export { registerFileAccess } from '~/modules/files/access.server'
