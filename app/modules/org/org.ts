import { z } from 'zod'
import { page, searchText, searchUuid } from '~/shared/validation'
import { Email } from '~/modules/auth/auth'
import { roles } from '~/modules/auth/permissions'

export const RoleSchema = z.enum(roles)
const optionalUuid = z
  .string()
  .uuid('errors.invalid')
  .optional()
  .or(z.literal('').transform(() => undefined))

export const PersonForm = z.object({
  name: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
  email: Email,
  employeeNumber: z.string().trim().max(50, 'errors.tooLong').optional(),
  departmentId: optionalUuid,
  managerId: optionalUuid,
  locale: z.enum(['zh-CN', 'en']).optional(),
  roles: z.array(RoleSchema, { required_error: 'people.atLeastOneRole' }).min(1, 'people.atLeastOneRole'),
})
export type PersonInput = z.infer<typeof PersonForm>

export const PeopleFilters = z.object({
  q: searchText(100),
  department: searchUuid,
  role: RoleSchema.optional().catch(undefined),
  status: z.enum(['active', 'inactive', 'all']).default('active').catch('active'),
  page,
})
export type PeopleFilters = z.infer<typeof PeopleFilters>

export const DepartmentForm = z.object({
  name: z
    .string({ required_error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .max(100, 'errors.tooLong')
    .refine((v) => !v.includes('/'), 'admin.departmentNoSlash'),
  parentId: optionalUuid,
})
