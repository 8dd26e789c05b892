import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

/* Loaded lazily (lazy-charts.tsx): recharts stays out of the main bundle. */

const bandColours: Record<string, string> = { A: '#047857', B: '#0e7490', C: '#b45309', D: '#b91c1c', none: '#94a3b8' }

export function BandChart({ data }: { data: { band: string; label: string; managers: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" />
        <YAxis allowDecimals={false} width={40} />
        <Tooltip />
        <Bar dataKey="managers" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.band} fill={bandColours[d.band] ?? '#64748b'} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  )
}

export function DepartmentChart({ data }: { data: { department: string; average: number | null }[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(180, data.length * 28 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={[0, 100]} />
        <YAxis type="category" dataKey="department" width={120} />
        <Tooltip />
        <Bar dataKey="average" fill="#1d4ed8" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  )
}

export function TrendChart({ data }: { data: { period: string; average: number | null }[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" />
        <YAxis domain={[0, 100]} width={40} />
        <Tooltip />
        <Line type="monotone" dataKey="average" stroke="#1d4ed8" strokeWidth={2} isAnimationActive={false} connectNulls />
      </LineChart>
    </ResponsiveContainer>
  )
}
