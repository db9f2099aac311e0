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

/** `points × log2(1 + n)`, rounded: what n page views, return visits or engaged minutes earn in all. */
const dim = (points: number, n: number) => Math.round(points * Math.log2(1 + n))

function at(day: string, time = '09:00:00'): string {
  return `${day}T${time}Z`
}

const view = (day: string, path = '/blog', time?: string): Touchpoint => ({
  type: 'page_view',
  at: at(day, time),
  path,
})
/** Until the events API accepts `engaged_time`, the event type union does not name it. */
const engaged = (day: string, seconds: number, time?: string): Touchpoint => ({
  type: 'engaged_time' as string as Touchpoint['type'],
  at: at(day, time),
  path: '/blog',
  seconds,
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
    ['a page view', [view('2026-11-20')], 2, ['+2 viewed 1 page on 2026-11-20']],
    [
      'a minute of engaged time',
      [engaged('2026-11-20', 60)],
      10,
      ['+10 engaged 1 min on 2026-11-20'],
    ],
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
      8,
      ["+8 downloaded 'Whitepaper 2026'"],
    ],
    [
      'an e-book form',
      [submit('2026-11-20', 'ebook', 'KI im Mittelstand')],
      8,
      ["+8 downloaded 'KI im Mittelstand'"],
    ],
    [
      'a checklist form',
      [submit('2026-11-20', 'checklist', 'DSGVO-Check')],
      8,
      ["+8 downloaded 'DSGVO-Check'"],
    ],
    [
      'a download',
      [{ type: 'download', at: at('2026-11-20'), path: '/assets/guide.pdf' }],
      8,
      ['+8 downloaded /assets/guide.pdf'],
    ],
    [
      'a newsletter signup',
      [submit('2026-11-20', 'newsletter')],
      4,
      ['+4 signed up for the newsletter'],
    ],
    [
      'a webinar registration',
      [submit('2026-11-20', 'webinar', 'Live-Demo')],
      10,
      ["+10 registered for webinar 'Live-Demo'"],
    ],
    [
      'a demo request',
      [submit('2026-11-20', 'demo_request', 'Demo buchen')],
      15,
      ["+15 requested a demo ('Demo buchen')"],
    ],
    ['a quote request', [submit('2026-11-20', 'quote_request')], 15, ['+15 requested a quote']],
    [
      'a contact-sales form',
      [submit('2026-11-20', 'contact_sales', 'Vertrieb')],
      15,
      ["+15 asked sales to get in touch ('Vertrieb')"],
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
      2,
      ['+2 came back on 2026-11-22'],
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
    expect(state.total).toBe(8)
    expect(state.forms).toEqual({ whitepaper: 1 })
  })

  it('counts the same form submitted twice on one day once', () => {
    const { state } = score([
      submit('2026-11-20', 'newsletter'),
      submit('2026-11-20', 'newsletter'),
    ])
    expect(state.total).toBe(4)
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
    // Ten page views count, worth 2 × log2(1 + 10) in all.
    expect(state.pageViews).toBe(10)
    expect(engagement).toBe(dim(2, 10))
    expect(state.total).toBe(dim(2, 10))
    expect(describeEngagement(state, new Date('2026-11-20T10:00:00Z'), rules)).toEqual([
      `+${dim(2, 10)} viewed pages 100 times on 2026-11-20 (10 counted, daily cap)`,
    ])
  })

  it('caps the same page reloads however they are split into batches', () => {
    let state = emptyEngagementState()
    for (let i = 0; i < 100; i++) state = applyTouchpoints(state, [view('2026-11-20')], rules)
    expect(state.total).toBe(dim(2, 10))
    expect(state.pageViews).toBe(10)
    expect(state.days['2026-11-20']?.n.pageView).toBe(10)
  })

  it('counts pricing views at most three times a day, and again the next day', () => {
    const views = ['2026-11-20', '2026-11-21'].flatMap((day) =>
      Array.from({ length: 5 }, (_, i) => view(day, '/pricing', `09:00:0${i}`)),
    )
    const { state } = score(views)
    // 3 × 5 points on each day (pricing views do not diminish), plus one return visit
    expect(state.total).toBe(15 + 15 + dim(2, 1))
    expect(state.pricingViews).toBe(6)
  })

  it.each<[string, Touchpoint['formKind'], number, number]>([
    ['content', 'whitepaper', 3, 8],
    ['newsletter', 'newsletter', 1, 4],
    ['webinar', 'webinar', 2, 10],
    ['intent', 'demo_request', 1, 15],
  ])('caps %s forms a day, however many different ones', (_, formKind, cap, points) => {
    const forms = Array.from({ length: 6 }, (_, i) => submit('2026-11-20', formKind!, `Form ${i}`))
    expect(score(forms).state.total).toBe(cap * points)
  })

  it('uses a site’s own caps and points', () => {
    const own = resolveRules({ points: { pageView: 3 }, dailyCaps: { pageView: 3 } })
    const reloads = Array.from({ length: 10 }, () => view('2026-11-20'))
    // Three views count, diminishing: 3 × log2(1 + 3) = 6.
    expect(score(reloads, own).state.total).toBe(dim(3, 3))
  })
})

describe('applyTouchpoints: diminishing returns', () => {
  /** Pinned points, so the numbers read easily; the diminishing kinds still diminish. */
  const own = resolveRules({ points: { pageView: 4, returnVisit: 6, engagedTime: 10 } })
  const views = (n: number, day = '2026-11-20') =>
    Array.from({ length: n }, (_, i) =>
      view(day, `/blog/${i}`, `09:00:${String(i).padStart(2, '0')}`),
    )

  it.each([
    [1, 4],
    [3, 8],
    [7, 12],
  ])('gives %s page views p × log2(1 + n) in all: %s', (n, expected) => {
    const { state } = score(views(n), own)
    expect(dim(4, n)).toBe(expected)
    expect(state.total).toBe(expected)
    expect(state.pageViews).toBe(n)
  })

  it('gives each new page view the growth, whichever batches they arrive in', () => {
    const all = views(7)
    const oneByOne = all.reduce(
      (state, touchpoint) => applyTouchpoints(state, [touchpoint], own),
      emptyEngagementState(),
    )
    const split = applyTouchpoints(
      applyTouchpoints(emptyEngagementState(), all.slice(4), own),
      all.slice(0, 4),
      own,
    )
    const once = score(all, own).state
    for (const state of [oneByOne, split]) {
      expect(state.total).toBe(once.total)
      expect(state.score).toBe(once.score)
      expect(state.pageViews).toBe(7)
    }
    // The first view earns the most, and each doubling the same again.
    const first = applyTouchpoints(emptyEngagementState(), all.slice(0, 1), own)
    expect(first.total).toBe(4)
    expect(applyTouchpoints(first, all.slice(1, 3), own).total).toBe(8)
  })

  it.each([
    [1, 6],
    [3, 12],
    [7, 18],
  ])('gives %s return visits p × log2(1 + n) in all: %s', (returns, expected) => {
    const clicks = Array.from({ length: returns + 1 }, (_, i): Touchpoint => ({
      type: 'cta_click',
      at: new Date(Date.parse(at('2026-11-01')) + i * DAY).toISOString(),
      path: '/',
    }))
    const { state } = score(clicks, own)
    expect(dim(6, returns)).toBe(expected)
    expect(state.total).toBe(expected)
    expect(state.returns).toBe(returns)
    expect(state.visitDays).toBe(returns + 1)
  })

  it.each([
    [60, 10],
    [180, 20],
    [420, 30],
  ])('gives %s engaged seconds p × log2(1 + minutes): %s', (seconds, expected) => {
    const { state } = score([engaged('2026-11-20', seconds)], own)
    expect(dim(10, seconds / 60)).toBe(expected)
    expect(state.total).toBe(expected)
    expect(state.engagedSeconds).toBe(seconds)
  })

  it('counts engaged time the same in pieces as in one', () => {
    const pieces = [100, 20, 240, 60].map((seconds, i) =>
      engaged('2026-11-20', seconds, `09:0${i}:00`),
    )
    const { state } = score(pieces, own)
    expect(state.engagedSeconds).toBe(420)
    expect(state.total).toBe(dim(10, 7))
  })

  it('counts at most four engaged hours a UTC day, and again the next day', () => {
    const longDay = [
      engaged('2026-11-20', 3600, '08:00:00'),
      engaged('2026-11-20', 3600, '09:00:00'),
    ]
    const tabLeftOpen = Array.from({ length: 5 }, () => longDay).flat()
    const { state } = score([...tabLeftOpen, engaged('2026-11-21', 600)], own)
    expect(state.days['2026-11-20']?.n.engagedTime).toBe(4 * 3600)
    expect(state.engagedSeconds).toBe(4 * 3600 + 600)
    // Engaged minutes, plus the return visit on the second day.
    expect(state.total).toBe(dim(10, 240 + 10) + dim(6, 1))
  })

  it('ignores an engaged-time touchpoint without seconds', () => {
    const { state } = score([engaged('2026-11-20', 0)], own)
    expect(state.engagedSeconds).toBe(0)
    expect(state.total).toBe(0)
    expect(state.reasons).toEqual([])
  })

  it('describes a day’s engaged time in one line: +N engaged 14 min on <day>', () => {
    const { state } = score(
      [
        engaged('2026-11-19', 45, '08:00:00'),
        engaged('2026-11-20', 600, '09:00:00'),
        engaged('2026-11-20', 240, '09:30:00'),
      ],
      resolveRules({ points: { returnVisit: 0 } }),
    )
    const first = dim(10, 45 / 60)
    expect(describeEngagement(state, new Date(state.ref ?? 0), rules).slice(0, 2)).toEqual([
      `+${dim(10, (45 + 840) / 60) - first} engaged 14 min on 2026-11-20`,
      `+${first} engaged 45 s on 2026-11-19`,
    ])
  })

  it('gives no line to page views past the point where another adds a point', () => {
    // Ten views earn round(2 × log2 11) = 7, eleven round(2 × log2 12) = 7: the 11th adds nothing.
    expect(dim(2, 11) - dim(2, 10)).toBe(0)
    const { state } = score([...views(10, '2026-11-20'), view('2026-11-21')])
    expect(describeEngagement(state, new Date(state.ref ?? 0), rules).slice(0, 2)).toEqual([
      `+${dim(2, 1)} came back on 2026-11-21`,
      `+${dim(2, 10)} viewed 10 pages on 2026-11-20`,
    ])
  })

  it('gives the same decayed score for page views, returns and engaged time however they arrive', () => {
    const touchpoints = [
      ...views(3, '2026-09-01'),
      engaged('2026-09-01', 300),
      ...views(2, '2026-10-01'),
      engaged('2026-10-01', 120),
      view('2026-10-20'),
      engaged('2026-11-10', 900),
      ...views(4, '2026-11-10'),
    ]
    const now = new Date('2026-11-20T00:00:00Z')
    const inOrder = applyTouchpoints(emptyEngagementState(), touchpoints, rules)
    const reversed = [...touchpoints]
      .reverse()
      .reduce(
        (state, touchpoint) => applyTouchpoints(state, [touchpoint], rules),
        emptyEngagementState(),
      )
    const newestFirstBatches = [
      touchpoints.slice(9),
      touchpoints.slice(4, 9),
      touchpoints.slice(0, 4),
    ].reduce((state, batch) => applyTouchpoints(state, batch, rules), emptyEngagementState())
    for (const state of [reversed, newestFirstBatches]) {
      expect(engagementAt(state, now, rules)).toBeCloseTo(engagementAt(inOrder, now, rules), 5)
      expect(state.total).toBe(inOrder.total)
      expect(state.reasons.reduce((sum, reason) => sum + reason.points, 0)).toBe(state.total)
      // The same lines; within a day they follow arrival order.
      expect(describeEngagement(state, now, rules).sort()).toEqual(
        describeEngagement(inOrder, now, rules).sort(),
      )
    }
    // The expected total, from the formula: 10 page views, 3 returns, 22 engaged minutes.
    expect(inOrder.total).toBe(dim(2, 10) + dim(2, 3) + dim(10, 22))
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
    [0, 10],
    [30, 5],
    [60, 2.5],
    [15, 10 / Math.SQRT2],
  ])('is worth %s days later a fraction of 10', (days, expected) => {
    expect(engagementAt(state, new Date(at0 + days * DAY), rules)).toBeCloseTo(expected, 6)
  })

  it('keeps full worth for the rest of the day it was earned, counting whole days', () => {
    expect(engagementAt(state, new Date('2026-11-01T23:59:59Z'), rules)).toBe(10)
    expect(engagementAt(state, new Date('2026-12-01T00:00:01Z'), rules)).toBeCloseTo(5, 6)
  })

  it('halves after a site’s own half-life', () => {
    const own = resolveRules({ halfLifeDays: 7 })
    const mine = applyTouchpoints(
      emptyEngagementState(),
      [submit('2026-11-01', 'webinar', 'W')],
      own,
    )
    expect(engagementAt(mine, new Date(at0 + 7 * DAY), own)).toBeCloseTo(5, 6)
  })

  it('never grows for a time before the last touchpoint', () => {
    expect(engagementAt(state, new Date(at0 - 10 * DAY), rules)).toBe(10)
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
      "+10 registered for webinar 'W'",
      '-5.0 older touchpoints count less (half-life 30 days)',
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
    expect(lines[0]).toBe(`+8 downloaded 'Paper ${days[79]}'`)
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

  it('reads a state stored before the diminishing counters with them at 0, and scores on from there', () => {
    const stored = JSON.parse(serializeEngagementState(score([view('2026-11-20')]).state))
    for (const key of ['pageViews', 'returns', 'engagedSeconds', 'formIds', 'optIn'])
      delete stored[key]
    const state = parseEngagementState(JSON.stringify(stored))
    expect(state).toMatchObject({
      pageViews: 0,
      returns: 0,
      engagedSeconds: 0,
      formIds: [],
      optIn: false,
      visitDays: 1,
    })
    expect(state.total).toBe(2)
    const next = applyTouchpoints(state, [engaged('2026-11-20', 60, '10:00:00')], rules)
    expect(next.engagedSeconds).toBe(60)
    expect(next.total).toBe(2 + dim(10, 1))
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
