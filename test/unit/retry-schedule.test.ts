import { describe, expect, it } from 'vitest'
import {
  MAX_RETRIES,
  retryDelaySeconds,
  scheduleSpanSeconds,
} from '../../worker/src/domain/retry-schedule'

/** The retry schedule (docs/outbound.md#retries). */
describe('retry schedule', () => {
  it('starts at the base, doubles, and stops growing at 12 hours', () => {
    const waits = Array.from({ length: MAX_RETRIES }, (_, i) => retryDelaySeconds(i + 1, 30, 0))
    expect(waits.slice(0, 4)).toEqual([30, 60, 120, 240])
    expect(waits[10]).toBe(30 * 1024)
    expect(waits.slice(11)).toEqual(Array(MAX_RETRIES - 11).fill(43_200))
  })

  it('spans at least 72 hours before a delivery is dead', () => {
    expect(scheduleSpanSeconds(30)).toBeGreaterThanOrEqual(72 * 3600)
    expect(scheduleSpanSeconds(30)).toBe(320_610)
  })

  it('stretches each wait by at most 10 % (jitter), never shortens it', () => {
    for (const random of [0, 0.5, 0.999]) {
      const wait = retryDelaySeconds(5, 30, random)
      expect(wait).toBeGreaterThanOrEqual(480)
      expect(wait).toBeLessThan(480 * 1.1)
    }
  })

  it('shrinks with the base, to nothing at 0 (the tests)', () => {
    expect(scheduleSpanSeconds(0)).toBe(0)
    expect(scheduleSpanSeconds(3)).toBeCloseTo(scheduleSpanSeconds(30) / 10)
  })
})
