/** Departments arrive in tree order; each option shows its full path, indented by depth. */
export function departmentLabel(path: string) {
  const depth = path.split('/').length - 1
  return `${'\u00a0\u00a0\u00a0\u00a0'.repeat(depth)}${path}`
}

export function DepartmentOptions({ departments }: { departments: { id: string; path: string }[] }) {
  return (
    <>
      {departments.map((d) => (
        <option key={d.id} value={d.id}>
          {departmentLabel(d.path)}
        </option>
      ))}
    </>
  )
}
