import { relations, sql } from 'drizzle-orm'
import { type AnyPgColumn, boolean, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const roleEnum = pgEnum('role', ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee'])
export const localeEnum = pgEnum('locale', ['zh-CN', 'en'])

/** Departments form a tree; `path` is the full slash-separated name ("销售部/华东区"), unique, for subtree queries. */
export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    path: text('path').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => departments.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_path_key').on(t.path), index('departments_parent_idx').on(t.parentId)],
)

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeNumber: text('employee_number'),
    /** Always stored lower-cased. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    locale: localeEnum('locale'),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    departmentId: uuid('department_id').references(() => departments.id),
    managerId: uuid('manager_id').references((): AnyPgColumn => users.id),
    /** For external lecturers: access ends at this time (set from their last session). */
    accessEndsAt: timestamp('access_ends_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_employee_number_key')
      .on(t.employeeNumber)
      .where(sql`${t.employeeNumber} is not null`),
    index('users_department_idx').on(t.departmentId),
    index('users_manager_idx').on(t.managerId),
  ],
)

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: roleEnum('role').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
)

export const departmentsRelations = relations(departments, ({ one, many }) => ({
  parent: one(departments, { fields: [departments.parentId], references: [departments.id], relationName: 'tree' }),
  children: many(departments, { relationName: 'tree' }),
  members: many(users),
}))

export const usersRelations = relations(users, ({ one, many }) => ({
  department: one(departments, { fields: [users.departmentId], references: [departments.id] }),
  manager: one(users, { fields: [users.managerId], references: [users.id], relationName: 'reports' }),
  reports: many(users, { relationName: 'reports' }),
  roles: many(userRoles),
}))

export const userRolesRelations = relations(userRoles, ({ one }) => ({
  user: one(users, { fields: [userRoles.userId], references: [users.id] }),
}))

export type Department = typeof departments.$inferSelect
export type User = typeof users.$inferSelect
export type Role = (typeof roleEnum.enumValues)[number]
export type Locale = (typeof localeEnum.enumValues)[number]
