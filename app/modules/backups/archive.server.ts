import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import * as tar from 'tar'

/** One line a user can act on; the CLI prints it as `genjin: <message>`. */
export class BackupError extends Error {}

export async function sha256File(file: string) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Every regular file under `dir`, as paths relative to it with forward slashes. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const out: string[] = []
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)))
    else if (entry.isFile()) out.push(rel)
  }
  return out
}

/**
 * Copies every file of `from` into `to`, hashing the copy (what is archived is what was hashed).
 * The app keeps serving meanwhile, so two kinds of file are left out: one still being written
 * (the storage writes `<key>.<random>.partial` and renames it when complete; no row names it yet)
 * and one that is gone by the time it is copied (renamed into place, or a finished upload's
 * staging file removed).
 */
export async function copyTree(from: string, to: string) {
  const listed = await listFiles(from)
  return copyFiles(
    from,
    to,
    listed.filter((rel) => !rel.endsWith('.partial')),
  )
}

/** Copies the listed files (relative to `from`) that still exist, hashing each copy. */
export async function copyFiles(from: string, to: string, rels: string[]) {
  const files = []
  for (const rel of rels) {
    const target = path.join(to, rel)
    await mkdir(path.dirname(target), { recursive: true })
    try {
      await copyFile(path.join(from, rel), target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    files.push({ path: rel, sha256: await sha256File(target), bytes: (await stat(target)).size })
  }
  return files
}

/** manifest.json first, then the dump, then the uploads. */
export async function writeArchive(file: string, staging: string) {
  const entries = ['manifest.json', 'database.sql', ...(await listFiles(staging)).filter((f) => f.startsWith('uploads/'))]
  await tar.create({ gzip: true, file, cwd: staging, portable: true, noDirRecurse: true }, entries)
}

/** Unpacks an archive; a truncated or damaged one fails here, before anything is touched. */
export async function readArchive(file: string, into: string) {
  try {
    await stat(file)
  } catch {
    throw new BackupError(`no such archive: ${file}`)
  }
  try {
    await tar.extract({ file, cwd: into, strict: true })
  } catch (error) {
    throw new BackupError(`the archive ${path.basename(file)} is damaged or incomplete (${(error as Error).message}); nothing was changed`)
  }
}
