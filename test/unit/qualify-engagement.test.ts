import { describe, expect, it } from 'vitest'
import { resolveRules } from '../../worker/src/domain/qualify/rules'
import {
  applyTouchpoints,
  describeEngagement,
  emptyEngagementState,
  engagementAt,
  isPricingPath,
  MAX_ENGAGEMENT_REASONS,
  parseEngagementState,
  serializeEngagementState,
  STATE_DAYS,
  type Touchpoint,
} from '../../worker/src/domain/qualify'

const rules = resolveRules()
const DAY = 86_400_000

function at(day: string, time = '09:00:00'): string {
  return `${day}T${time}Z`
}

const view = (day: string, path = '/blog', time?: string): Touchpoint => ({
  type: 'page_view',
  at: at(day, time),
  path,
})
const submit = (
  day: string,
  formKind: NonNullable<Touchpoint['formKind']>,
  title?: string,
): Touchpoint => ({
  type: 'form_submit',
  at: at(day, '10:00:00'),
  path: '/form',
  formKind,
  ...(title ? { title } : {}),
})

function score(touchpoints: Touchpoint[], own = rules) {
  const state = applyTouchpoints(emptyEngagementState(), touchpoints, own)
  const last =
    touchpoints
      .map((touchpoint) => Date.parse(touchpoint.at))
      .sort()
      .pop() ?? 0
  return { state, engagement: engagementAt(state, new Date(last), own) }
}

describe('applyTouchpoints: points per touchpoint (default points)', () => {
  it.each<[string, Touchpoint[], number, string[]]>([
    ['a page view', [view('2026-11-20')], 1, ['+1 viewed 1 page on 2026-11-20']],
    [
      'a pricing-page view',
      [view('2026-11-20', '/pricing')],
      5,
      ['+5 viewed pricing page /pricing once on 2026-11-20'],
    ],
    [
      'a German pricing page under a locale prefix',
      [view('2026-11-20', '/de/preise/')],
      5,
      ['+5 viewed pricing page /de/preise/ once on 2026-11-20'],
    ],
    [
      'a whitepaper form',
      [submit('2026-11-20', 'whitepaper', 'Whitepaper 2026')],
      10,
      ["+10 downloaded 'Whitepaper 2026'"],
    ],
    [
      'an e-book form',
      [submit('2026-11-20', 'ebook', 'KI im Mittelstand')],
      10,
      ["+10 downloaded 'KI im Mittelstand'"],
    ],
    [
      'a checklist form',
      [submit('2026-11-20', 'checklist', 'DSGVO-Check')],
      10,
      ["+10 downloaded 'DSGVO-Check'"],
    ],
    [
      'a download',
      [{ type: 'download', at: at('2026-11-20'), path: '/assets/guide.pdf' }],
      10,
      ['+10 downloaded /assets/guide.pdf'],
    ],
    [
      'a newsletter signup',
      [submit('2026-11-20', 'newsletter')],
      5,
      ['+5 signed up for the newsletter'],
    ],
    [
      'a webinar registration',
      [submit('2026-11-20', 'webinar', 'Live-Demo')],
      15,
      ["+15 registered for webinar 'Live-Demo'"],
    ],
    [
      'a demo request',
      [submit('2026-11-20', 'demo_request', 'Demo buchen')],
      30,
      ["+30 requested a demo ('Demo buchen')"],
    ],
    ['a quote request', [submit('2026-11-20', 'quote_request')], 30, ['+30 requested a quote']],
    [
      'a contact-sales form',
      [submit('2026-11-20', 'contact_sales', 'Vertrieb')],
      30,
      ["+30 asked sales to get in touch ('Vertrieb')"],
    ],
    ['a survey', [submit('2026-11-20', 'survey', 'Umfrage')], 0, []],
    [
      'a form view, a form start and a CTA click',
      [
        { type: 'form_view', at: at('2026-11-20'), path: '/' },
        { type: 'form_start', at: at('2026-11-20'), path: '/' },
        { type: 'cta_click', at: at('2026-11-20'), path: '/' },
      ],
      0,
      [],
    ],
    [
      'a visit on another day',
      [
        { type: 'cta_click', at: at('2026-11-20'), path: '/' },
        { type: 'cta_click', at: at('2026-11-22'), path: '/' },
      ],
      3,
      ['+3 came back on 2026-11-22'],
    ],
  ])('scores %s', (_, touchpoints, points, reasons) => {
    const { state, engagement } = score(touchpoints)
    expect(engagement).toBeCloseTo(points, 6)
    expect(state.total).toBe(points)
    expect(describeEngagement(state, new Date(state.ref ?? 0), rules)).toEqual(reasons)
  })

  it('counts a gated form and its download as one piece of content', () => {
    const { state } = score([
      submit('2026-11-20', 'whitepaper', 'Whitepaper 2026'),
      {
        type: 'download',
        at: at('2026-11-20', '10:00:05'),
        path: '/whitepaper',
        title: 'Whitepaper 2026',
      },
    ])
    expect(state.total).toBe(10)
    expect(state.forms).toEqual({ whitepaper: 1 })
  })

  it('counts the same form submitted twice on one day once', () => {
    const { state } = score([
      submit('2026-11-20', 'newsletter'),
      submit('2026-11-20', 'newsletter'),
    ])
    expect(state.total).toBe(5)
    expect(state.forms).toEqual({ newsletter: 1 })
  })
})

describe('applyTouchpoints: daily caps', () => {
  it('does not raise the score beyond the cap when a page is reloaded a hundred times', () => {
    const reloads = Array.from({ length: 100 }, (_, i) =>
      view(
        '2026-11-20',
        '/blog/post',
        `09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
      ),
    )
    const { state, engagement } = score(reloads)
    expect(engagement).toBe(10)
    expect(state.total).toBe(10)
    expect(describeEngagement(state, new Date('2026-11-20T10:00:00Z'), rules)).toEqual([
      '+10 viewed pages 100 times on 2026-11-20 (10 counted, daily cap)',
    ])
  })

  it('caps the same page reloads however they are split into batches', () => {
    let state = emptyEngagementState()
    for (let i = 0; i < 100; i++) state = applyTouchpoints(state, [view('2026-11-20')], rules)
    expect(state.total).toBe(10)
    expect(state.days['2026-11-20']?.n.pageView).toBe(10)
  })

  it('counts pricing views at most three times a day, and again the next day', () => {
    const views = ['2026-11-20', '2026-11-21'].flatMap((day) =>
      Array.from({ length: 5 }, (_, i) => view(day, '/pricing', `09:00:0${i}`)),
    )
    const { state } = score(views)
    // 3 × 5 points on each day, plus one return visit
    expect(state.total).toBe(15 + 15 + 3)
    expect(state.pricingViews).toBe(6)
  })

  it.each<[string, Touchpoint['formKind'], number, number]>([
    ['content', 'whitepaper', 3, 10],
    ['newsletter', 'newsletter', 1, 5],
    ['webinar', 'webinar', 2, 15],
    ['intent', 'demo_request', 1, 30],
  ])('caps %s forms a day, however many different ones', (_, formKind, cap, points) => {
    const forms = Array.from({ length: 6 }, (_, i) => submit('2026-11-20', formKind!, `Form ${i}`))
    expect(score(forms).state.total).toBe(cap * points)
  })

  it('uses a site’s own caps and points', () => {
    const own = resolveRules({ points: { pageView: 2 }, dailyCaps: { pageView: 3 } })
    const reloads = Array.from({ length: 10 }, () => view('2026-11-20'))
    expect(score(reloads, own).state.total).toBe(6)
  })
})

describe('engagementAt: decay by half-life', () => {
  const state = applyTouchpoints(
    emptyEngagementState(),
    [submit('2026-11-01', 'webinar', 'W')],
    rules,
  )
  const at0 = Date.parse(at('2026-11-01', '10:00:00'))

  it.each([
    [0, 15],
    [30, 7.5],
    [60, 3.75],
    [15, 15 / Math.SQRT2],
  ])('is worth %s days later a fraction of 15', (days, expected) => {
    expect(engagementAt(state, new Date(at0 + days * DAY), rules)).toBeCloseTo(expected, 6)
  })

  it('keeps full worth for the rest of the day it was earned, counting whole days', () => {
    expect(engagementAt(state, new Date('2026-11-01T23:59:59Z'), rules)).toBe(15)
    expect(engagementAt(state, new Date('2026-12-01T00:00:01Z'), rules)).toBeCloseTo(7.5, 6)
  })

  it('halves after a site’s own half-life', () => {
    const own = resolveRules({ halfLifeDays: 7 })
    const mine = applyTouchpoints(
      emptyEngagementState(),
      [submit('2026-11-01', 'webinar', 'W')],
      own,
    )
    expect(engagementAt(mine, new Date(at0 + 7 * DAY), own)).toBeCloseTo(7.5, 6)
  })

  it('never grows for a time before the last touchpoint', () => {
    expect(engagementAt(state, new Date(at0 - 10 * DAY), rules)).toBe(15)
  })

  it('gives the same score whether touchpoints come in order, reversed or in batches', () => {
    const touchpoints = [
      submit('2026-10-01', 'whitepaper', 'A'),
      view('2026-10-15', '/pricing'),
      submit('2026-11-02', 'webinar', 'B'),
      view('2026-11-10'),
    ]
    const now = new Date('2026-11-20T00:00:00Z')
    const inOrder = applyTouchpoints(emptyEngagementState(), touchpoints, rules)
    const reversed = [...touchpoints]
      .reverse()
      .reduce(
        (state, touchpoint) => applyTouchpoints(state, [touchpoint], rules),
        emptyEngagementState(),
      )
    expect(engagementAt(reversed, now, rules)).toBeCloseTo(engagementAt(inOrder, now, rules), 5)
    expect(reversed.total).toBe(inOrder.total)
  })

  it('explains the decay so the reasons add up to the score', () => {
    const now = new Date(at0 + 30 * DAY)
    expect(describeEngagement(state, now, rules)).toEqual([
      "+15 registered for webinar 'W'",
      '-7.5 older touchpoints count less (half-life 30 days)',
    ])
  })

  it('counts a touchpoint from a fast clock as happening now', () => {
    const now = new Date('2026-11-20T12:00:00Z')
    const future = applyTouchpoints(emptyEngagementState(), [view('2027-01-01')], rules, { now })
    expect(future.ref).toBe(now.toISOString())
    expect(Object.keys(future.days)).toEqual(['2026-11-20'])
  })
})

describe('applyTouchpoints: bounded state', () => {
  it(`keeps per-day tallies for ${STATE_DAYS} days and ignores later arrivals for older days`, () => {
    let state = applyTouchpoints(emptyEngagementState(), [view('2026-01-01')], rules)
    state = applyTouchpoints(state, [view('2026-06-01')], rules)
    expect(Object.keys(state.days)).toEqual(['2026-06-01'])
    const total = state.total
    state = applyTouchpoints(state, [submit('2026-01-02', 'webinar', 'late')], rules)
    expect(state.total).toBe(total)
    expect(state.visitDays).toBe(2)
  })

  it(`keeps the last ${MAX_ENGAGEMENT_REASONS} reasons and folds older points into one line`, () => {
    const days = Array.from({ length: 80 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1) + i * DAY).toISOString().slice(0, 10),
    )
    const state = applyTouchpoints(
      emptyEngagementState(),
      days.map((day) => submit(day, 'whitepaper', `Paper ${day}`)),
      rules,
    )
    expect(state.reasons).toHaveLength(MAX_ENGAGEMENT_REASONS)
    const listed = state.reasons.reduce((sum, reason) => sum + reason.points, 0)
    expect(listed + state.earlier).toBe(state.total)
    const lines = describeEngagement(state, new Date(state.ref ?? 0), rules)
    expect(lines[0]).toBe(`+10 downloaded 'Paper ${days[79]}'`)
    expect(lines).toContain(`+${state.earlier} earlier touchpoints`)
  })

  it('does not change the state it was given', () => {
    const before = emptyEngagementState()
    applyTouchpoints(before, [view('2026-11-20')], rules)
    expect(before).toEqual(emptyEngagementState())
  })

  it('round-trips through the score_state column', () => {
    const state = score([
      view('2026-11-20', '/pricing'),
      submit('2026-11-21', 'demo_request'),
    ]).state
    expect(parseEngagementState(serializeEngagementState(state))).toEqual(state)
  })

  it.each([['{}'], [''], [null], ['not json'], ['{"v":2}'], ['[]']])(
    'reads %s as the empty state',
    (text) => {
      expect(parseEngagementState(text)).toEqual(emptyEngagementState())
    },
  )

  it('ignores touchpoints with an unreadable time', () => {
    const state = applyTouchpoints(
      emptyEngagementState(),
      [{ type: 'page_view', at: 'yesterday', path: '/' }],
      rules,
    )
    expect(state).toEqual(emptyEngagementState())
  })
})

describe('isPricingPath', () => {
  const patterns = rules.pricingPaths
  it.each([
    ['/pricing', true],
    ['/pricing/', true],
    ['/Pricing', true],
    ['/en/pricing', true],
    ['/pricing/enterprise', true],
    ['/preise', true],
    ['/kosten?plan=pro', true],
    ['/angebot#form', true],
    ['/pricing-faq', false],
    ['/blog/why-pricing', false],
    ['/', false],
  ])('%s is a pricing page: %s', (path, expected) => {
    expect(isPricingPath(path, patterns)).toBe(expected)
  })

  it('matches a site’s wildcard and multi-segment patterns', () => {
    expect(isPricingPath('/preise-und-pakete', ['/preise*'])).toBe(true)
    expect(isPricingPath('/de/shop/tarife', ['/shop/tarife'])).toBe(true)
    expect(isPricingPath('/shop/x/tarife', ['/shop/tarife'])).toBe(false)
    expect(isPricingPath('/pricing', [])).toBe(false)
  })
})
