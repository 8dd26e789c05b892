import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { filePreviews } from '#db/schema'
import * as fileRoute from '~/routes/files.$fileId'
import { createPerson, requestAs } from '../../../tests/setup/fixtures'
import { contentDisposition, PREVIEW_PURPOSE, registerFileAccess } from './access.server'
import { PDF_MIME } from './files'
import { makePdf } from '../../../tests/setup/files/fixtures'
import { storeServerFile } from './uploads.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-files-access-'))

async function download(person: { id: string }, fileId: string) {
  const request = await requestAs(person, `/files/${fileId}`)
  return fileRoute.loader({ request, params: { fileId }, context: {} } as never).catch((e: unknown) => {
    if (e instanceof Response) return e
    throw e
  })
}

describe('downloading stored files', () => {
  it('serves a file as a sandboxed attachment to whom its purpose allows, and 404 to everyone else', async () => {
    const uploader = await createPerson()
    const reader = await createPerson()
    const stranger = await createPerson()
    registerFileAccess('test-slides', async (user) => user.id === reader.id)
    const pdf = await makePdf()
    const file = await db.transaction((tx) =>
      storeServerFile(tx, { body: pdf, purpose: 'test-slides', name: '<script>第一组.pdf', mime: PDF_MIME, createdBy: uploader.id }),
    )

    for (const person of [uploader, reader]) {
      const response = await download(person, file.id)
      expect(response.status).toBe(200)
      expect(response.headers.get('Content-Type')).toBe(PDF_MIME)
      expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="<script>___\.pdf"; filename\*=UTF-8''%3Cscript%3E%E7%AC%AC/)
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(response.headers.get('Content-Security-Policy')).toContain('sandbox')
      expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true)
    }
    expect((await download(stranger, file.id)).status).toBe(404)
    expect((await download(reader, '00000000-0000-0000-0000-000000000000')).status).toBe(404)
    expect((await download(reader, 'not-a-uuid')).status).toBe(404)
  })

  it('lets the readers of a file read its PDF rendering, and nobody else', async () => {
    const uploader = await createPerson()
    const stranger = await createPerson()
    const source = await db.transaction((tx) =>
      storeServerFile(tx, {
        body: Buffer.from('PK deck'),
        purpose: 'unregistered',
        name: 'deck.pptx',
        mime: 'application/octet-stream',
        createdBy: uploader.id,
      }),
    )
    const body = await makePdf()
    const rendering = await db.transaction((tx) => storeServerFile(tx, { body, purpose: PREVIEW_PURPOSE, name: 'deck.pdf', mime: PDF_MIME }))
    await db.insert(filePreviews).values({ fileId: source.id, status: 'ready', pdfFileId: rendering.id })
    expect((await download(uploader, rendering.id)).status).toBe(200)
    expect((await download(stranger, rendering.id)).status).toBe(404)
    expect((await download(stranger, source.id)).status).toBe(404)
  })

  it('never lets a name break out of the header', () => {
    expect(contentDisposition('a"b\\c\r\n.pdf')).toBe(`attachment; filename="a_b_c__.pdf"; filename*=UTF-8''a%22b%5Cc%0D%0A.pdf`)
  })
})
