import * as tusRoute from '~/routes/uploads.tus.$'
import { requestAs } from '../fixtures'

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** One tus request through the real route (session cookie, tus server, store). */
export async function tusRequest(person: { id: string } | null, url: string, init: RequestInit & { method: string }) {
  const headers = new Headers(init.headers)
  headers.set('Tus-Resumable', '1.0.0')
  const request = await requestAs(person, url, { ...init, headers, ...(init.body ? { duplex: 'half' } : {}) } as RequestInit)
  const args = { request, params: {}, context: {} } as never
  return init.method === 'HEAD' || init.method === 'GET' ? tusRoute.loader(args) : tusRoute.action(args)
}

/** Creates an upload; returns the response and the upload's id (from Location). */
export async function createTusUpload(person: { id: string } | null, size: number, metadata: Record<string, string>) {
  const response = await tusRequest(person, '/uploads/tus', {
    method: 'POST',
    headers: {
      'Upload-Length': String(size),
      'Upload-Metadata': Object.entries(metadata)
        .map(([k, v]) => `${k} ${b64(v)}`)
        .join(','),
    },
  })
  const location = response.headers.get('Location') ?? ''
  return { response, id: location.split('/').pop() ?? '', location }
}

export async function patchTusUpload(person: { id: string } | null, id: string, offset: number, bytes: Buffer) {
  return tusRequest(person, `/uploads/tus/${id}`, {
    method: 'PATCH',
    headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  })
}

/** Uploads a whole file in `parts` PATCH requests and returns its id. */
export async function tusUpload(
  person: { id: string },
  bytes: Buffer,
  metadata: Record<string, string> = { purpose: 'slides', filename: 'slides.pdf' },
  parts = 2,
) {
  const { response, id } = await createTusUpload(person, bytes.length, metadata)
  if (response.status !== 201) throw new Error(`tus create answered ${response.status}`)
  const step = Math.ceil(bytes.length / parts)
  for (let offset = 0; offset < bytes.length; offset += step) {
    const r = await patchTusUpload(person, id, offset, bytes.subarray(offset, offset + step))
    if (r.status !== 204) throw new Error(`tus patch answered ${r.status}: ${await r.text()}`)
  }
  return id
}
