import { randomBytes } from 'node:crypto'
import PDFDocument from 'pdfkit'
import yazl from 'yazl'

/** Small real files for upload tests, made on the spot. */
export async function makePdf(pages = 2, title = 'Follow-up case', options: { attachRandomBytes?: number } = {}) {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape' })
  // Incompressible attached bytes make a PDF of a chosen size (several upload chunks).
  if (options.attachRandomBytes) doc.file(randomBytes(options.attachRandomBytes), { name: 'notes.bin' })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  for (let i = 1; i <= pages; i++) {
    if (i > 1) doc.addPage()
    doc.fontSize(40).text(`${title} — slide ${i}`, 60, 200)
  }
  doc.end()
  return done
}

/** A real PPTX (pptxgenjs) with a few slides that LibreOffice can convert. */
export async function makePptx(slides = 2, title = 'Follow-up case') {
  const { default: PptxGenJS } = await import('pptxgenjs')
  const pptx = new PptxGenJS()
  for (let i = 1; i <= slides; i++) pptx.addSlide().addText(`${title} — slide ${i}`, { x: 1, y: 1, w: 8, h: 1.5, fontSize: 32 })
  return Buffer.from((await pptx.write({ outputType: 'nodebuffer' })) as Buffer)
}

function zip(add: (z: yazl.ZipFile) => void) {
  const z = new yazl.ZipFile()
  add(z)
  z.end()
  const chunks: Buffer[] = []
  return new Promise<Buffer>((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c))
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)))
    z.outputStream.on('error', reject)
  })
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'

/** Looks like a PPTX, but its parts unpack to far more than any deck (a zip bomb), a few hundred KB packed. */
export function makeZipBombPptx() {
  const zeros = Buffer.alloc(64 * 1024 * 1024)
  return zip((z) => {
    z.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml')
    z.addBuffer(Buffer.from('<p:presentation/>'), 'ppt/presentation.xml')
    z.addBuffer(zeros, 'ppt/media/image1.bin')
    z.addBuffer(zeros, 'ppt/media/image2.bin')
  })
}

/** A PPTX-looking zip with an absurd number of entries. */
export function makeManyEntriesPptx(entries = 6_000) {
  return zip((z) => {
    z.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml')
    z.addBuffer(Buffer.from('<p:presentation/>'), 'ppt/presentation.xml')
    for (let i = 0; i < entries; i++) z.addBuffer(Buffer.alloc(0), `ppt/slides/s${i}.xml`, { compress: false })
  })
}

/** A Windows executable renamed to look like slides. */
export function makeExecutable() {
  const exe = Buffer.alloc(4096)
  exe.write('MZ', 0, 'latin1')
  exe.writeUInt32LE(0x80, 0x3c)
  exe.write('PE\0\0', 0x80, 'latin1')
  return exe
}
