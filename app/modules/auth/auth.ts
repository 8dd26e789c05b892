import { z } from 'zod'

export const PASSWORD_MIN = 10

export const Email = z
  .string({ required_error: 'errors.required' })
  .trim()
  .min(1, 'errors.required')
  .max(254, 'errors.tooLong')
  .email('errors.email')
  .transform((v) => v.toLowerCase())

export const NewPassword = z.string({ required_error: 'errors.required' }).min(PASSWORD_MIN, 'auth.passwordTooShort').max(200, 'auth.passwordTooLong')

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

/** Only same-origin relative paths (app/shared/validation.ts). */
export { safeRedirect } from '~/shared/validation'
