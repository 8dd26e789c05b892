import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { images } from '#db/schema'
import { loader as imageLoader } from '~/routes/media.images.$imageId'
import { action as uploadAction } from '~/routes/media.images'
import { createPerson, requestAs, settle } from '../../../tests/setup/fixtures'
import { pngBytes } from '../../../tests/setup/png'
import { renderMarkdown } from './markdown.server'
import { imageSize, sniffImage } from './media.server'

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
