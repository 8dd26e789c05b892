/** Percentiles of measured samples, the same way in every bench (nearest rank). */

/** The nearest-rank percentile `p` (0–100) of samples sorted ascending; NaN for none. */
export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]
}

/** Count, p50, p95, p99 and max of samples in any order (non-finite samples sort last: timeouts). */
export function latencies(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  }
}
