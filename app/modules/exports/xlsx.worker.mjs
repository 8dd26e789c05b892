// Worker threads on Node 20 do not get tsx from --import: load the TypeScript worker through tsx's API.
import { tsImport } from 'tsx/esm/api'

await tsImport('./xlsx.worker.ts', import.meta.url)
