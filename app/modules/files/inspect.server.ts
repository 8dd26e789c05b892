import { open } from 'node:fs/promises'
import { fileTypeFromFile } from 'file-type'
import yauzl from 'yauzl'
import { ACCEPTED_MIMES, PDF_MIME, PPTX_MIME, wrongTypeCode, type UploadPurpose, type UploadRejectionCode } from './files'

/** An upload we refuse, with the reason people see (files.rejected.<code>). */
export class UploadRejected extends Error {
  readonly messageKey: string
  constructor(
    readonly code: UploadRejectionCode,
    detail?: string,
  ) {
    super(detail ? `Upload refused (${code}): ${detail}` : `Upload refused (${code})`)
    this.name = 'UploadRejected'
    this.messageKey = `files.rejected.${code}`
  }
}

/** Bounds for a PPTX's zip: more than this is not a slide deck but an attack or an accident. */
export const ZIP_LIMITS = { maxEntries: 5_000, maxUncompressedBytes: 300 * 1024 * 1024, maxRatio: 200 }

/**
 * Reads the zip's central directory only (no entry is inflated, nothing is unpacked to disk)
 * and refuses absurd entry counts, unpacked sizes and compression ratios.
 */
export async function checkZipDirectory(file: string, compressedSize: number, limits = ZIP_LIMITS) {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, (error, z) =>
      error ? reject(error) : resolve(z),
    ),
  ).catch((error: Error) => {
    throw new UploadRejected('corrupt', error.message)
  })
  if (zip.entryCount > limits.maxEntries) {
    zip.close()
    throw new UploadRejected('zip-bomb', `${zip.entryCount} entries`)
  }
  const names = new Set<string>()
  let total = 0
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      names.add(entry.fileName)
      total += entry.uncompressedSize
      if (total > limits.maxUncompressedBytes || total > compressedSize * limits.maxRatio + 10 * 1024 * 1024) {
        zip.close()
        reject(new UploadRejected('zip-bomb', `unpacks to more than ${total} bytes`))
        return
      }
      zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', (error: Error) => reject(new UploadRejected('corrupt', error.message)))
    zip.readEntry()
  })
  return names
}

/** A PDF must end with %%EOF (a truncated upload does not) and open in pdf.js. */
export async function checkPdf(file: string) {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const tail = Buffer.alloc(Math.min(1024, size))
    await handle.read(tail, 0, tail.length, size - tail.length)
    if (!tail.toString('latin1').includes('%%EOF')) throw new UploadRejected('corrupt', 'no %%EOF at the end')
  } finally {
    await handle.close()
  }
  const { readFile } = await import('node:fs/promises')
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const task = pdfjs.getDocument({
    data: new Uint8Array(await readFile(file)),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    verbosity: 0,
  })
  try {
    const doc = await task.promise
    if (doc.numPages < 1) throw new UploadRejected('corrupt', 'no pages')
    await doc.getPage(1)
    return { pages: doc.numPages }
  } catch (error) {
    if (error instanceof UploadRejected) throw error
    throw new UploadRejected('corrupt', (error as Error).message)
  } finally {
    await task.destroy()
  }
}

/**
 * What a complete upload is, judged by its content: the recognised MIME type and extension,
 * or UploadRejected. The name the device gave it plays no part.
 */
export async function inspectUpload(file: string, size: number, purpose: UploadPurpose) {
  if (size === 0) throw new UploadRejected('empty')
  const type = await fileTypeFromFile(file).catch(() => undefined)
  if (!type || !ACCEPTED_MIMES[purpose].includes(type.mime)) {
    // file-type calls any zip without a recognisable Office part just "zip"; a zip bomb often
    // looks like that, so look at its directory before calling it the wrong type.
    if (purpose === 'slides' && type?.mime === 'application/zip') await checkZipDirectory(file, size)
    throw new UploadRejected(wrongTypeCode(purpose), type?.mime ?? 'unknown')
  }
  if (type.mime === PPTX_MIME) {
    const names = await checkZipDirectory(file, size)
    if (!names.has('ppt/presentation.xml')) throw new UploadRejected('corrupt', 'no ppt/presentation.xml')
    return { mime: type.mime, ext: 'pptx' }
  }
  if (type.mime === PDF_MIME) {
    await checkPdf(file)
    return { mime: type.mime, ext: 'pdf' }
  }
  return { mime: type.mime, ext: type.ext }
}
