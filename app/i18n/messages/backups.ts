import { defineMessages } from '../define'

export default defineMessages({
  en: {
    'backups.last': 'Last backup: {when}',
    'backups.none': 'No backup yet. Run npm run db:backup on the server, or set BACKUP_EVERY_HOURS.',
    'backups.stale': 'More than {days} days old',
  },
  'zh-CN': {
    'backups.last': '最近一次备份：{when}',
    'backups.none': '尚无备份。请在服务器上运行 npm run db:backup，或设置 BACKUP_EVERY_HOURS。',
    'backups.stale': '已超过 {days} 天',
  },
})
