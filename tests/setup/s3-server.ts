import { afterAll, beforeAll } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import type { S3Config } from '~/modules/files/storage.server'

/**
 * A real S3-protocol server (s3rver) on a free port with one bucket, for tests of the storage
 * module and the tus S3 store. Never a mock of our code: the AWS SDK talks HTTP to it.
 */
export async function startS3Server(bucket = 'genjin-test') {
  const directory = mkdtempSync(path.join(tmpdir(), 'genjin-s3-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = (await server.run()) as { port: number }
  const config: S3Config = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
    forcePathStyle: true,
  }
  return {
    config,
    async stop() {
      // The AWS SDK keeps its sockets alive; close them rather than wait for them to time out.
      server.httpServer?.closeAllConnections()
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}

/**
 * For a whole test file: starts an S3-protocol server before its tests and points the app's
 * storage at it through the `S3_*` settings, as a deployment would; stops it afterwards.
 */
export function useS3Storage(bucket: string) {
  let s3: Awaited<ReturnType<typeof startS3Server>> | undefined
  beforeAll(async () => {
    s3 = await startS3Server(bucket)
    process.env.S3_ENDPOINT = s3.config.endpoint
    process.env.S3_BUCKET = s3.config.bucket
    process.env.S3_ACCESS_KEY_ID = s3.config.accessKeyId
    process.env.S3_SECRET_ACCESS_KEY = s3.config.secretAccessKey
    process.env.S3_FORCE_PATH_STYLE = 'true'
  })
  afterAll(async () => {
    await s3?.stop()
  })
}
