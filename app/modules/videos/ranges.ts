/**
 * Watched ranges: sorted, non-overlapping [start, end] pairs in seconds. Pure functions,
 * shared by the player (what it reports) and the server (what it credits).
 */
export type Range = [number, number]

// Gaps smaller than this (one frame at 25 fps and rounding) are not real holes in the viewing.
const JOIN_GAP = 0.05

const round3 = (n: number) => Math.round(n * 1000) / 1000

/** Sorts, clamps to [0, max] and merges overlapping or touching ranges; drops empty ones. */
export function mergeRanges(ranges: readonly (readonly [number, number])[], max = Number.POSITIVE_INFINITY): Range[] {
  const clean = ranges
    .map(([a, b]) => [Math.max(0, Math.min(a, b)), Math.min(max, Math.max(a, b))] as Range)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b > a)
    .sort((x, y) => x[0] - y[0])
  const merged: Range[] = []
  for (const [a, b] of clean) {
    const last = merged[merged.length - 1]
    if (last && a <= last[1] + JOIN_GAP) last[1] = Math.max(last[1], b)
    else merged.push([a, b])
  }
  return merged.map(([a, b]) => [round3(a), round3(b)])
}

export function totalLength(ranges: readonly Range[]) {
  return round3(ranges.reduce((sum, [a, b]) => sum + (b - a), 0))
}

/** The parts of `claimed` not already in `have` (both merged). */
export function subtractRanges(claimed: readonly Range[], have: readonly Range[]): Range[] {
  const out: Range[] = []
  for (const [a0, b] of claimed) {
    let a = a0
    for (const [c, d] of have) {
      if (d <= a || c >= b) continue
      if (c > a) out.push([a, c])
      a = Math.max(a, d)
      if (a >= b) break
    }
    if (a < b) out.push([a, b])
  }
  return out.filter(([a, b]) => b - a > 1e-6)
}

/** Keeps the first `budget` seconds of the ranges, in time order. */
export function takeSeconds(ranges: readonly Range[], budget: number): Range[] {
  const out: Range[] = []
  let left = Math.max(0, budget)
  for (const [a, b] of ranges) {
    if (left <= 0) break
    const len = Math.min(b - a, left)
    out.push([a, a + len])
    left -= len
  }
  return out
}

/**
 * Adds claimed ranges to what was credited, crediting at most `allowance` new seconds.
 * Returns the new credited ranges and how many seconds were newly credited.
 */
export function creditRanges(have: readonly Range[], claimed: readonly Range[], allowance: number, duration: number) {
  const base = mergeRanges(have, duration)
  const fresh = subtractRanges(mergeRanges(claimed, duration), base)
  const granted = takeSeconds(fresh, allowance)
  const next = mergeRanges([...base, ...granted], duration)
  return { ranges: next, added: round3(totalLength(next) - totalLength(base)), refused: round3(totalLength(fresh) - totalLength(granted)) }
}
