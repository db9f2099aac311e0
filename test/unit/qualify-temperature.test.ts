import { describe, expect, it } from 'vitest'
import { resolveRules } from '../../worker/src/domain/qualify/rules'
import type { Temperature } from '../../shared/site'
import {
  applyTouchpoints,
  emptyEngagementState,
  engagementAt,
  temperatureAt,
  type Touchpoint,
} from '../../worker/src/domain/qualify'

const rules = resolveRules()
/** The windows alone: no engagement needed for hot. */
const windows = resolveRules({ hotThreshold: 0 })
const NOW = new Date('2026-11-22T12:00:00Z')
const DAY = 86_400_000
const SECOND = 1000

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString()
}

const demo = (when: string): Touchpoint => ({
  type: 'form_submit',
  at: when,
  path: '/demo',
  formKind: 'demo_request',
})
const pricing = (when: string): Touchpoint => ({ type: 'page_view', at: when, path: '/preise' })
const blog = (when: string): Touchpoint => ({ type: 'page_view', at: when, path: '/blog' })
const click = (when: string): Touchpoint => ({ type: 'cta_click', at: when, path: '/' })
/** Until the events API accepts `engaged_time`, the event type union does not name it. */
const engaged = (when: string, seconds: number): Touchpoint => ({
  type: 'engaged_time' as string as Touchpoint['type'],
  at: when,
  path: '/blog',
  seconds,
})
/** `points × log2(1 + n)`, rounded: what n of a diminishing kind earn in all. */
const dim = (points: number, n: number) => Math.round(points * Math.log2(1 + n))

describe('temperatureAt: windows (hotThreshold 0)', () => {
  it.each<[string, Touchpoint[], Temperature]>([
    ['no touchpoint at all', [], 'cold'],
    ['an intent form today', [demo(ago(0))], 'hot'],
    ['an intent form exactly 14 days ago', [demo(ago(14 * DAY))], 'hot'],
    ['an intent form 14 days and a second ago', [demo(ago(14 * DAY + SECOND))], 'warm'],
    ['a pricing view 13 days ago', [pricing(ago(13 * DAY))], 'hot'],
    ['a pricing view 15 days ago', [pricing(ago(15 * DAY))], 'warm'],
    ['a page view yesterday', [blog(ago(DAY))], 'warm'],
    ['a CTA click exactly 30 days ago', [click(ago(30 * DAY))], 'warm'],
    ['a page view 30 days and a second ago', [blog(ago(30 * DAY + SECOND))], 'cold'],
    ['an intent form 60 days ago', [demo(ago(60 * DAY))], 'cold'],
    [
      'an old intent form and a recent page view',
      [demo(ago(40 * DAY)), blog(ago(2 * DAY))],
      'warm',
    ],
  ])('%s is %s', (_, touchpoints, expected) => {
    const state = applyTouchpoints(emptyEngagementState(), touchpoints, windows)
    expect(temperatureAt(state, NOW, windows)).toBe(expected)
  })

  it('follows a site’s own windows', () => {
    const own = resolveRules({ hotWindowDays: 3, warmWindowDays: 7, hotThreshold: 0 })
    const state = applyTouchpoints(emptyEngagementState(), [demo(ago(5 * DAY))], own)
    expect(temperatureAt(state, NOW, own)).toBe('warm')
    expect(temperatureAt(state, new Date(NOW.getTime() + 3 * DAY), own)).toBe('cold')
  })
})

describe('temperatureAt: hot also needs engagement ≥ hotThreshold', () => {
  it('keeps a lone demo request warm under the defaults: one quick request is not yet hot', () => {
    const state = applyTouchpoints(emptyEngagementState(), [demo(ago(0))], rules)
    expect(engagementAt(state, NOW, rules)).toBe(15)
    expect(rules.hotThreshold).toBe(28)
    expect(temperatureAt(state, NOW, rules)).toBe('warm')
  })

  it('makes a demo request with four engaged minutes hot', () => {
    const state = applyTouchpoints(
      emptyEngagementState(),
      [engaged(ago(60 * SECOND), 240), demo(ago(0))],
      rules,
    )
    expect(engagementAt(state, NOW, rules)).toBe(15 + dim(10, 4))
    expect(temperatureAt(state, NOW, rules)).toBe('hot')
  })

  it('makes engaged pricing views hot, and engagement without intent only warm', () => {
    const reading = [engaged(ago(120 * SECOND), 420), blog(ago(60 * SECOND))]
    const browsing = applyTouchpoints(emptyEngagementState(), reading, rules)
    expect(engagementAt(browsing, NOW, rules)).toBe(dim(10, 7) + dim(2, 1))
    expect(temperatureAt(browsing, NOW, rules)).toBe('warm')
    const pricingToo = applyTouchpoints(browsing, [pricing(ago(0))], rules)
    expect(temperatureAt(pricingToo, NOW, rules)).toBe('hot')
  })

  it.each([
    [28, 'hot'],
    [27, 'warm'],
  ] as const)('is hot at exactly the threshold: %s points of intent are %s', (points, expected) => {
    const own = resolveRules({ points: { intentForm: points } })
    const state = applyTouchpoints(emptyEngagementState(), [demo(ago(0))], own)
    expect(temperatureAt(state, NOW, own)).toBe(expected)
  })

  it('cools a hot lead inside the hot window once its engagement decays below the threshold', () => {
    const state = applyTouchpoints(
      emptyEngagementState(),
      [engaged(ago(60 * SECOND), 180), demo(ago(0))],
      rules,
    )
    const points = 15 + dim(10, 3)
    // The first day after the threshold is crossed downwards, by the half-life.
    const days = Math.ceil(rules.halfLifeDays * Math.log2(points / rules.hotThreshold))
    expect(days).toBeLessThan(rules.hotWindowDays)
    expect(temperatureAt(state, new Date(NOW.getTime() + (days - 1) * DAY), rules)).toBe('hot')
    expect(temperatureAt(state, new Date(NOW.getTime() + days * DAY), rules)).toBe('warm')
  })

  it('follows a site’s own hot threshold', () => {
    const own = resolveRules({ hotThreshold: 15 })
    const state = applyTouchpoints(emptyEngagementState(), [demo(ago(0))], own)
    expect(temperatureAt(state, NOW, own)).toBe('hot')
  })
})
