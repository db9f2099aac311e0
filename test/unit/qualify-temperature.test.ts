import { describe, expect, it } from 'vitest'
import { resolveRules } from '../../worker/src/domain/qualify/rules'
import type { Temperature } from '../../shared/site'
import {
  applyTouchpoints,
  emptyEngagementState,
  temperatureAt,
  type Touchpoint,
} from '../../worker/src/domain/qualify'

const rules = resolveRules()
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

describe('temperatureAt', () => {
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
    const state = applyTouchpoints(emptyEngagementState(), touchpoints, rules)
    expect(temperatureAt(state, NOW, rules)).toBe(expected)
  })

  it('follows a site’s own windows', () => {
    const own = resolveRules({ hotWindowDays: 3, warmWindowDays: 7 })
    const state = applyTouchpoints(emptyEngagementState(), [demo(ago(5 * DAY))], own)
    expect(temperatureAt(state, NOW, own)).toBe('warm')
    expect(temperatureAt(state, new Date(NOW.getTime() + 3 * DAY), own)).toBe('cold')
  })
})
