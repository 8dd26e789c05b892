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
