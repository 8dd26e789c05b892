import { defineMessages } from '../define'

export default defineMessages({
  en: {
    'email.greeting': 'Hello {name},',
    'email.signature': '— Genjin, your performance follow-up training',
    'email.ignore': 'If you did not ask for this, ignore this email; nothing changes.',
    'email.password_reset.subject': 'Reset your Genjin password',
    'email.password_reset.body':
      'Someone (hopefully you) asked to reset your password. Open this link within {minutes} minutes to choose a new one; it works once:',
    'email.password_reset.action': 'Choose a new password',
    'email.invitation.subject': 'You are invited to Genjin',
    'email.invitation.body':
      '{inviter} invited you to Genjin, where your company runs its performance follow-up training. Open this link within {days} days to set your password; it works once:',
    'email.invitation.action': 'Set my password',
  },
  'zh-CN': {
    'email.greeting': '{name}，你好：',
    'email.signature': '—— 跟进 · 绩效跟进培训平台',
    'email.ignore': '如果这不是你本人的操作，请忽略此邮件，不会有任何变化。',
    'email.password_reset.subject': '重置你的跟进平台密码',
    'email.password_reset.body': '有人（希望是你本人）申请重置你的密码。请在 {minutes} 分钟内打开以下链接设置新密码；链接仅可使用一次：',
    'email.password_reset.action': '设置新密码',
    'email.invitation.subject': '邀请你加入跟进平台',
    'email.invitation.body': '{inviter} 邀请你加入跟进平台——公司在这里开展绩效跟进培训。请在 {days} 天内打开以下链接设置密码；链接仅可使用一次：',
    'email.invitation.action': '设置我的密码',
  },
})
