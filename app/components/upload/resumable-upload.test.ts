import { describe, expect, it } from 'vitest'
import { translator } from '~/i18n'
import { uploadHint } from './resumable-upload'

describe('the upload hint', () => {
  it('names what each kind of upload takes, in both languages', () => {
    expect(uploadHint(translator('en'), 'en', 'roleplay-video')).toBe('MP4, MOV, or WebM, up to 1024 MB')
    expect(uploadHint(translator('en'), 'en', 'slides')).toBe('PDF or PPTX, up to 50 MB')
    expect(uploadHint(translator('en'), 'en', 'roleplay-study', 5 * 1024 * 1024)).toBe('PDF or PPTX, up to 5 MB')
    expect(uploadHint(translator('zh-CN'), 'zh-CN', 'roleplay-video')).toBe('MP4、MOV或WebM，最大 1024 MB')
    expect(uploadHint(translator('zh-CN'), 'zh-CN', 'slides')).toBe('PDF或PPTX，最大 50 MB')
  })
})
