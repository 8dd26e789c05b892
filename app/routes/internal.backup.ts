import type { ActionFunctionArgs } from '@remix-run/node'
import { backupForCommand } from '~/modules/backups/backups.server'

/** For `npm run db:backup` on this machine while the server holds the PGlite directory (decision 029). */
export async function action({ request, context }: ActionFunctionArgs) {
  return backupForCommand(request, (context as { clientIp?: string }).clientIp ?? '')
}
