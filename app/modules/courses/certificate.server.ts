import { existsSync } from 'node:fs'
import PDFDocument from 'pdfkit'
import { translator, type Locale } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { pick } from './courses'
import { getCompletedEnrolment } from './learning.server'

/**
 * Where a CJK font may be found. pdfkit's built-in fonts (Helvetica …) have no Chinese glyphs,
 * so without one of these the certificate falls back to English text only.
 * GENJIN_CJK_FONT may name another file (a .ttc needs GENJIN_CJK_FONT_NAME, its PostScript name).
 */
const CJK_FONTS: { path: string; name?: string }[] = [
  ...(process.env.GENJIN_CJK_FONT ? [{ path: process.env.GENJIN_CJK_FONT, name: process.env.GENJIN_CJK_FONT_NAME }] : []),
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', name: 'WenQuanYiMicroHei' },
]

export function findCjkFont() {
  return CJK_FONTS.find((f) => existsSync(f.path)) ?? null
}

/** Only what Helvetica can draw, for the no-CJK-font fallback ("张伟 Zhang Wei" → "Zhang Wei"). */
function latinOnly(text: string) {
  return text
    .replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A PDF certificate for a course the person has completed (404 otherwise). */
export async function certificatePdf(user: CurrentUser, courseKey: string, preferred: Locale) {
  const { course, completedAt, name } = await getCompletedEnrolment(user, courseKey)
  const font = findCjkFont()
  const locale: Locale = font ? preferred : 'en'
  const t = translator(locale)
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(completedAt)
  const title = pick(course.title, locale)
  const person = font ? name : latinOnly(name) || user.email

  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 50, info: { Title: `${t('certificate.title')} — ${title}`, Author: 'Genjin' } })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  if (font) doc.registerFont('body', font.path, font.name)
  const bodyFont = font ? 'body' : 'Helvetica'
  const { width, height } = doc.page
  doc
    .lineWidth(3)
    .strokeColor('#0f766e')
    .rect(25, 25, width - 50, height - 50)
    .stroke()
  doc
    .lineWidth(1)
    .strokeColor('#99f6e4')
    .rect(35, 35, width - 70, height - 70)
    .stroke()

  const center = { align: 'center' as const, width: width - 100 }
  doc
    .font(bodyFont)
    .fillColor('#0f766e')
    .fontSize(14)
    .text(font ? 'Genjin 跟进' : 'Genjin', 50, 80, center)
  doc.moveDown(1.2).fillColor('#0f172a').fontSize(34).text(t('certificate.title'), center)
  doc.moveDown(1.2).fillColor('#334155').fontSize(15).text(t('certificate.body'), center)
  doc.moveDown(0.6).fillColor('#0f172a').fontSize(28).text(person, center)
  doc.moveDown(0.6).fillColor('#334155').fontSize(15).text(t('certificate.completed'), center)
  doc.moveDown(0.6).fillColor('#0f172a').fontSize(22).text(title, center)
  doc.moveDown(1.5).fillColor('#334155').fontSize(13).text(t('certificate.date', { date }), center)
  doc.end()
  return { pdf: await done, filename: `certificate-${course.contentId}.pdf` }
}
