import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { images, storedFiles } from '#db/schema'
import { getStorage } from '~/modules/files/storage.server'
import { loader as imageLoader } from '~/routes/media.images.$imageId'
import { action as uploadAction } from '~/routes/media.images'
import { createPerson, requestAs, settle } from '../../../tests/setup/fixtures'
import { pngBytes } from '../../../tests/setup/png'
import { renderMarkdown } from '~/shared/markdown.server'
import { imageSize, LESSON_IMAGE_PURPOSE, moveLegacyImages, sniffImage } from './media.server'

// Images of this file land in a temporary directory, never in data/.
process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-images-'))

/** A real, tiny PNG: 3×2 grey pixels. */
const tinyPng = (width = 3, height = 2) => pngBytes(width, height)

async function upload(person: { id: string } | null, bytes: Uint8Array, contentType = 'image/png') {
  const request = await requestAs(person, '/media/images', {
    method: 'POST',
    body: new Blob([new Uint8Array(bytes)]),
    headers: { 'Content-Type': contentType },
  })
  return (await settle(() => uploadAction({ request, params: {}, context: { clientIp: '127.0.0.1' } }))) as Response
}

describe('lesson images', () => {
  it('accepts a real PNG from an author, stores it once and serves it with safe headers to signed-in people only', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const png = tinyPng()
    const response = await upload(hr, png)
    expect(response.status).toBe(201)
    const body = (await response.json()) as { id: string; url: string; mime: string; width: number; height: number }
    expect(body).toMatchObject({ url: `/media/images/${body.id}`, mime: 'image/png', width: 3, height: 2 })
    const [row] = await db.select().from(images).where(eq(images.id, body.id))
    expect(row).toMatchObject({ mime: 'image/png', size: png.length, uploadedBy: hr.id, width: 3, height: 2 })
    // The bytes are a stored file in the one storage, not a file of the images' own.
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, row.fileId!))
    expect(file).toMatchObject({ purpose: LESSON_IMAGE_PURPOSE, mime: 'image/png', size: png.length, createdBy: hr.id })
    expect(await getStorage().exists(file.storageKey)).toBe(true)
    // The same bytes again: the same image.
    expect(((await (await upload(hr, png)).json()) as { id: string }).id).toBe(body.id)

    const learner = await createPerson({ roles: ['employee'] })
    const served = await imageLoader({ request: await requestAs(learner, body.url), params: { imageId: body.id }, context: {} })
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('image/png')
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(served.headers.get('Cache-Control')).toBe('private, max-age=31536000, immutable')
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)
    const again = await imageLoader({
      request: await requestAs(learner, body.url, { headers: { 'If-None-Match': served.headers.get('ETag')! } }),
      params: { imageId: body.id },
      context: {},
    })
    expect(again.status).toBe(304)

    const anonymous = await imageLoader({ request: await requestAs(null, body.url), params: { imageId: body.id }, context: {} }).catch(
      (e: unknown) => e as Response,
    )
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login/)
  })

  it('moves images from before the storage module into it: at start-up, or on their first request', async () => {
    const legacy = async (png: Uint8Array) => {
      const sha256 = createHash('sha256').update(png).digest('hex')
      const dir = path.join(process.env.UPLOADS_DIR!, 'images')
      mkdirSync(dir, { recursive: true })
      writeFileSync(path.join(dir, sha256), png)
      const [row] = await db.insert(images).values({ sha256, mime: 'image/png', size: png.length, width: 5, height: 7 }).returning()
      return { row, file: path.join(dir, sha256) }
    }
    const onRequest = await legacy(tinyPng(5, 7))
    const learner = await createPerson({ roles: ['employee'] })
    const served = await imageLoader({
      request: await requestAs(learner, `/media/images/${onRequest.row.id}`),
      params: { imageId: onRequest.row.id },
      context: {},
    })
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(tinyPng(5, 7))).toBe(true)
    const [moved] = await db.select().from(images).where(eq(images.id, onRequest.row.id))
    expect(moved.fileId).toBeTruthy()
    expect(existsSync(onRequest.file)).toBe(false)

    const atStart = await legacy(tinyPng(6, 7))
    const [missing] = await db
      .insert(images)
      .values({ sha256: 'f'.repeat(64), mime: 'image/png', size: 10 })
      .returning()
    const summary = await moveLegacyImages(db)
    expect(summary.moved).toBeGreaterThanOrEqual(1)
    expect(existsSync(atStart.file)).toBe(false)
    const [row] = await db.select().from(images).where(eq(images.id, atStart.row.id))
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, row.fileId!))
    expect(file).toMatchObject({ purpose: LESSON_IMAGE_PURPOSE, size: tinyPng(6, 7).length, sha256: atStart.row.sha256 })
    // An image whose old file is gone stays a 404, as before.
    const gone = await imageLoader({ request: await requestAs(learner, `/media/images/${missing.id}`), params: { imageId: missing.id }, context: {} }).catch(
      (e: unknown) => e as Response,
    )
    expect(gone.status).toBe(404)
  })

  it('refuses a text file renamed .png, whatever Content-Type the browser claims', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const response = await upload(hr, Buffer.from('<svg onload="alert(1)"></svg> not really a picture'), 'image/png')
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({ error: 'authoring.image.notImage' })
  })

  it('refuses an image larger than 5 MB', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const big = Buffer.concat([tinyPng(), Buffer.alloc(5 * 1024 * 1024)])
    const response = await upload(hr, big)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: 'authoring.image.tooLarge' })
  })

  it('lets only course authors upload', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    expect((await upload(trainer, tinyPng())).status).toBe(403)
    const anonymous = await upload(null, tinyPng())
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login/)
  })

  it('sniffs the four image types by their first bytes and reads their size', () => {
    expect(sniffImage(tinyPng())).toBe('image/png')
    expect(imageSize(tinyPng(640, 480), 'image/png')).toEqual({ width: 640, height: 480 })
    const gif = Buffer.from([...Buffer.from('GIF89a'), 0x20, 0x00, 0x10, 0x00, 0, 0, 0])
    expect(sniffImage(gif)).toBe('image/gif')
    expect(imageSize(gif, 'image/gif')).toEqual({ width: 32, height: 16 })
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x78, 0x00, 0xa0, 0x03, 0, 0, 0])
    expect(sniffImage(jpeg)).toBe('image/jpeg')
    expect(imageSize(jpeg, 'image/jpeg')).toEqual({ width: 160, height: 120 })
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImage(Buffer.from('PK\x03\x04 a zip'))).toBeNull()
  })
})

describe('lesson Markdown with images', () => {
  const id = '0b6f8c1e-3d2a-4c5b-9e7f-1a2b3c4d5e6f'
  it('renders uploaded images and drops images from anywhere else', () => {
    const html = renderMarkdown(
      `A chart:\n\n![Check-in rhythm](/media/images/${id})\n\n![pixel](https://tracker.example/p.gif) ![x](javascript:alert(1)) ![y](data:image/png;base64,AAA)`,
    )
    expect(html).toContain(`<img src="/media/images/${id}" alt="Check-in rhythm" loading="lazy" decoding="async">`)
    expect(html).not.toContain('tracker.example')
    expect(html).not.toMatch(/src="(javascript|data|https)/i)
    expect(html.match(/<img/g)).toHaveLength(1)
    expect(html).toContain('<p>pixel ')
  })

  it('still refuses javascript: links next to an image', () => {
    const html = renderMarkdown(`![ok](/media/images/${id}) [click](javascript:alert(1)) [[x](/media/images/${id})](JaVaScRiPt:alert(1))`)
    expect(html).toContain(`src="/media/images/${id}"`)
    expect(html).not.toMatch(/href="javascript/i)
  })
})
