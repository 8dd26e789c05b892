import { describe, expect, it } from 'vitest'
import { creditRanges, mergeRanges, subtractRanges, takeSeconds, totalLength } from './ranges'

describe('watched ranges', () => {
  it('merges overlapping, touching and unordered ranges and clamps them to the video', () => {
    expect(
      mergeRanges(
        [
          [10, 20],
          [0, 5],
          [4, 8],
          [20, 25],
          [30, 200],
        ],
        113.4,
      ),
    ).toEqual([
      [0, 8],
      [10, 25],
      [30, 113.4],
    ])
  })

  it('drops empty, reversed-to-empty and non-finite ranges, and normalises reversed ones', () => {
    expect(
      mergeRanges([
        [5, 5],
        [Number.NaN, 3],
        [9, 7],
      ]),
    ).toEqual([[7, 9]])
  })

  it('joins gaps smaller than a frame but keeps real holes', () => {
    expect(
      mergeRanges([
        [0, 10],
        [10.03, 12],
      ]),
    ).toEqual([[0, 12]])
    expect(
      mergeRanges([
        [0, 10],
        [10.5, 12],
      ]),
    ).toEqual([
      [0, 10],
      [10.5, 12],
    ])
  })

  it('subtracts what was already credited', () => {
    expect(
      subtractRanges(
        [[0, 30]],
        [
          [5, 10],
          [20, 25],
        ],
      ),
    ).toEqual([
      [0, 5],
      [10, 20],
      [25, 30],
    ])
    expect(subtractRanges([[5, 10]], [[0, 30]])).toEqual([])
  })

  it('takes the first seconds of ranges in time order', () => {
    expect(
      takeSeconds(
        [
          [0, 5],
          [10, 20],
        ],
        8,
      ),
    ).toEqual([
      [0, 5],
      [10, 13],
    ])
    expect(takeSeconds([[0, 5]], 0)).toEqual([])
  })

  it('credits at most the allowance of new seconds, never counting a range twice', () => {
    const first = creditRanges([], [[0, 100]], 10, 113.4)
    expect(first).toEqual({ ranges: [[0, 10]], added: 10, refused: 90 })
    const again = creditRanges(first.ranges, [[0, 10]], 50, 113.4)
    expect(again.added).toBe(0)
    const more = creditRanges(first.ranges, [[5, 30]], 50, 113.4)
    expect(more.ranges).toEqual([[0, 30]])
    expect(totalLength(more.ranges)).toBe(30)
  })
})
