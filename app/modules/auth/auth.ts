import { z } from 'zod'

export const PASSWORD_MIN = 10

export const Email = z
  .string({ required_error: 'errors.required' })
  .trim()
  .min(1, 'errors.required')
  .max(254, 'errors.tooLong')
  .email('errors.email')
  .transform((v) => v.toLowerCase())

export const NewPassword = z
  .string({ required_error: 'errors.required' })
  .min(PASSWORD_MIN, 'auth.passwordTooShort')
  .max(200, 'auth.passwordTooLong')

export const SignInForm = z.object({
  email: Email,
  password: z.string({ required_error: 'errors.required' }).min(1, 'errors.required').max(200, 'auth.passwordTooLong'),
  redirectTo: z.string().optional(),
})

export const SetPasswordForm = z
  .object({ password: NewPassword, confirm: z.string({ required_error: 'errors.required' }) })
  .refine((v) => v.password === v.confirm, { message: 'auth.passwordsDiffer', path: ['confirm'] })

export const ChangePasswordForm = z
  .object({
    intent: z.literal('change-password'),
    current: z.string({ required_error: 'errors.required' }).min(1, 'errors.required'),
    password: NewPassword,
    confirm: z.string({ required_error: 'errors.required' }),
  })
  .refine((v) => v.password === v.confirm, { message: 'auth.passwordsDiffer', path: ['confirm'] })

const REDIRECT_BASE = 'http://genjin.invalid'

/**
 * Only same-origin relative paths: never redirect to another origin after sign-in. Parsed with the
 * URL API as a browser would (which drops tabs and newlines, so `/\t/evil.example` is `//evil.example`);
 * control characters and backslashes are refused outright, and the result is the normalised,
 * percent-encoded path, safe in a Location header.
 */
export function safeRedirect(to: unknown, fallback = '/') {
  if (typeof to !== 'string' || to.length > 2000 || !to.startsWith('/')) return fallback
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback
  let url: URL
  try {
    url = new URL(to, REDIRECT_BASE)
  } catch {
    return fallback
  }
  if (url.origin !== REDIRECT_BASE) return fallback
  return url.pathname + url.search + url.hash
}
