import { describe, expect, it } from 'vitest'
import { RulesSchema } from '../../shared/rules'
import {
  DEFAULT_DECISION_MAKER_TITLES,
  DEFAULT_RULES,
  DEFAULT_STAGE_RULES,
  resolveRules,
} from '../../worker/src/domain/qualify/rules'
import { SiteInputSchema } from '../../shared/site'

describe('resolveRules', () => {
  it('fills every documented default when a site names nothing', () => {
    const rules = resolveRules()
    expect(rules).toEqual(resolveRules({}))
    expect(rules).toMatchObject({
      mqlThreshold: 28,
      sqlThreshold: 30,
      hotThreshold: 28,
      halfLifeDays: 30,
      hotWindowDays: 14,
      warmWindowDays: 30,
      timelineMonths: 3,
      repeatedPricingViews: 3,
      pricingPaths: ['/pricing', '/preise', '/kosten', '/angebot'],
      points: {
        pageView: 2,
        returnVisit: 2,
        engagedTime: 10,
        content: 8,
        newsletter: 4,
        webinar: 10,
        pricingView: 5,
        intentForm: 15,
        decisionMaker: 20,
        businessEmail: 10,
        company: 5,
        phone: 5,
        budget: 15,
        timeline: 10,
        answers: 5,
        optIn: 6,
      },
      dailyCaps: { pageView: 10, pricingView: 3 },
      fitRules: [],
    })
    expect(rules.stageRules).toEqual(DEFAULT_STAGE_RULES)
    expect(rules.decisionMakerTitles).toEqual(
      expect.arrayContaining(['CEO', 'Geschäftsführerin', 'Head of']),
    )
  })

  it('merges points and caps key by key and replaces lists whole', () => {
    const rules = resolveRules({
      mqlThreshold: 40,
      points: { content: 20 },
      dailyCaps: { pageView: 5 },
      pricingPaths: ['/plans'],
    })
    expect(rules.mqlThreshold).toBe(40)
    expect(rules.sqlThreshold).toBe(30)
    expect(rules.points.content).toBe(20)
    expect(rules.points.newsletter).toBe(4)
    expect(rules.dailyCaps).toMatchObject({ pageView: 5, pricingView: 3 })
    expect(rules.pricingPaths).toEqual(['/plans'])
    expect(rules.decisionMakerTitles).toBe(DEFAULT_DECISION_MAKER_TITLES)
  })

  it('does not change the defaults when a resolved copy is overridden', () => {
    resolveRules({ points: { pageView: 9 } })
    expect(DEFAULT_RULES.points.pageView).toBe(2)
  })

  it('gives the b2c model its own fit points: none for title, company or business email, more for a phone and an opt-in', () => {
    const b2c = resolveRules({}, 'b2c')
    expect(b2c.points).toMatchObject({
      decisionMaker: 0,
      businessEmail: 0,
      company: 0,
      phone: 8,
      budget: 10,
      timeline: 10,
      answers: 5,
      optIn: 8,
    })
    // Engagement is worth the same in both models.
    for (const kind of ['pageView', 'returnVisit', 'engagedTime', 'content', 'intentForm'] as const)
      expect(b2c.points[kind]).toBe(DEFAULT_RULES.points[kind])
    // The b2b model, also when named, keeps the b2b points.
    expect(resolveRules({}, 'b2b').points).toEqual(DEFAULT_RULES.points)
    // A site's own points override the b2c defaults key by key.
    const own = resolveRules({ points: { phone: 2, company: 4 } }, 'b2c')
    expect(own.points).toMatchObject({ phone: 2, company: 4, businessEmail: 0, optIn: 8 })
  })

  it('keeps a site’s thresholds and fit rules as given', () => {
    const fitRules = [{ id: 'teacher', field: 'occupation', equals: ['Lehrer'], points: 12 }]
    const rules = resolveRules({ hotThreshold: 5, fitRules })
    expect(rules.hotThreshold).toBe(5)
    expect(rules.mqlThreshold).toBe(28)
    expect(rules.fitRules).toEqual(fitRules)
  })

  it('replaces one model’s stage rules and keeps the other’s built in', () => {
    const own = [
      {
        id: 'acme.mql',
        to: 'mql' as const,
        when: { all: [{ metric: 'engagement' as const, atLeast: 10 }] },
      },
    ]
    const rules = resolveRules(RulesSchema.parse({ stageRules: { b2b: own } }))
    expect(rules.stageRules.b2b).toEqual(own)
    expect(rules.stageRules.b2c).toEqual(DEFAULT_STAGE_RULES.b2c)
  })
})

describe('RulesSchema', () => {
  it('accepts the built-in stage rules as a site’s own', () => {
    expect(RulesSchema.safeParse({ stageRules: DEFAULT_STAGE_RULES }).success).toBe(true)
  })

  it.each([
    ['the built-in titles', { decisionMakerTitles: [...DEFAULT_DECISION_MAKER_TITLES] }],
    ['an empty pricing list', { pricingPaths: [] }],
    ['wildcard pricing paths', { pricingPaths: ['/preise*', '/de/tarife/'] }],
    ['a fractional half-life', { halfLifeDays: 7.5 }],
    ['a hot threshold of 0', { hotThreshold: 0 }],
    [
      'fit rules over an answer, a checkbox, an empty field, a form, a source and a medium',
      {
        fitRules: [
          { id: 'teacher', field: 'occupation', equals: ['Lehrer', 'Lehrerin'], points: 12 },
          { id: 'owner', field: 'homeowner', equals: [true], points: 6, label: 'owns a home' },
          { id: 'no-job', field: 'occupation', filled: false, points: -8 },
          { id: 'answered', field: 'occupation', points: 2 },
          { id: 'partner', forms: ['partner-referral'], points: 20 },
          { id: 'partner-mail', forms: ['partner'], field: 'email', points: 1 },
          { id: 'ads', source: ['google'], medium: ['cpc'], points: -3 },
          { id: 'mail', medium: ['email'], points: 4 },
        ],
      },
    ],
    [
      'a test against a setting',
      {
        stageRules: {
          b2c: [
            {
              id: 'x',
              to: 'engaged',
              when: { any: [{ metric: 'visitDays', atLeast: 'repeatedPricingViews' }] },
            },
          ],
        },
      },
    ],
    [
      'a jump over a stage',
      {
        stageRules: {
          b2b: [
            {
              id: 'fast',
              from: ['lead'],
              to: 'sql',
              when: { all: [{ formKinds: ['demo_request'] }] },
            },
          ],
        },
      },
    ],
  ])('accepts %s', (_, rules) => {
    expect(RulesSchema.safeParse(rules).success).toBe(true)
  })

  it.each([
    ['an unknown setting', { mqlTreshold: 10 }],
    ['an unknown point', { points: { tweet: 3 } }],
    ['negative points', { points: { content: -5 } }],
    ['fractional points', { points: { content: 2.5 } }],
    ['a threshold as text', { mqlThreshold: '25' }],
    ['a threshold out of bounds', { sqlThreshold: 1_000_000 }],
    ['a zero half-life', { halfLifeDays: 0 }],
    ['a negative hot threshold', { hotThreshold: -1 }],
    ['a fit rule without field, forms, source or medium', { fitRules: [{ id: 'x', points: 5 }] }],
    [
      'a fit rule with `equals` but no field',
      { fitRules: [{ id: 'x', forms: ['wp'], equals: ['yes'], points: 5 }] },
    ],
    [
      'a fit rule with `filled` but no field',
      { fitRules: [{ id: 'x', source: ['google'], filled: false, points: 5 }] },
    ],
    [
      'a fit rule whose answer both equals a value and is empty',
      { fitRules: [{ id: 'x', field: 'occupation', equals: ['a'], filled: false, points: 5 }] },
    ],
    [
      'a fit rule with an empty `equals`',
      { fitRules: [{ id: 'x', field: 'occupation', equals: [], points: 5 }] },
    ],
    [
      'a fit rule over a field name that is no field name',
      { fitRules: [{ id: 'x', field: 'job title', points: 5 }] },
    ],
    [
      'fit rule points out of bounds',
      { fitRules: [{ id: 'x', field: 'occupation', points: -1001 }] },
    ],
    ['fractional fit rule points', { fitRules: [{ id: 'x', field: 'occupation', points: 1.5 }] }],
    [
      'duplicate fit rule ids',
      {
        fitRules: [
          { id: 'x', field: 'occupation', points: 1 },
          { id: 'x', field: 'company', points: 2 },
        ],
      },
    ],
    [
      'an unknown key in a fit rule',
      { fitRules: [{ id: 'x', field: 'occupation', points: 1, weight: 2 }] },
    ],
    ['a cap that is not a number', { dailyCaps: { pageView: 'ten' } }],
    ['a pricing path without a slash', { pricingPaths: ['pricing'] }],
    ['the root as a pricing path', { pricingPaths: ['/'] }],
    ['a pricing path with a query', { pricingPaths: ['/pricing?x=1'] }],
    ['too many pricing paths', { pricingPaths: Array.from({ length: 51 }, (_, i) => `/p${i}`) }],
    ['a title with regex syntax', { decisionMakerTitles: ['(CEO|.*)+'] }],
    ['an over-long title', { decisionMakerTitles: ['x'.repeat(101)] }],
    ['a title of wildcards only', { decisionMakerTitles: ['**'] }],
    [
      'a rule to a manual-only stage',
      {
        stageRules: {
          b2b: [{ id: 'x', to: 'opportunity', when: { all: [{ fact: 'complete' }] } }],
        },
      },
    ],
    [
      'a rule to a stage of the other model',
      { stageRules: { b2b: [{ id: 'x', to: 'engaged', when: { all: [{ fact: 'complete' }] } }] } },
    ],
    [
      'a rule to the first stage',
      { stageRules: { b2c: [{ id: 'x', to: 'prospect', when: { all: [{ fact: 'complete' }] } }] } },
    ],
    [
      'a rule that moves back',
      {
        stageRules: {
          b2b: [{ id: 'x', from: ['sql'], to: 'mql', when: { all: [{ fact: 'complete' }] } }],
        },
      },
    ],
    ['a rule without tests', { stageRules: { b2b: [{ id: 'x', to: 'mql', when: {} }] } }],
    [
      'an unknown fact',
      { stageRules: { b2b: [{ id: 'x', to: 'mql', when: { all: [{ fact: 'rich' }] } }] } },
    ],
    [
      'an unknown setting reference',
      {
        stageRules: {
          b2b: [{ id: 'x', to: 'mql', when: { all: [{ metric: 'fit', atLeast: 'lots' }] } }],
        },
      },
    ],
    [
      'an unknown form kind',
      {
        stageRules: { b2b: [{ id: 'x', to: 'mql', when: { any: [{ formKinds: ['podcast'] }] } }] },
      },
    ],
    [
      'duplicate rule ids',
      {
        stageRules: {
          b2b: [
            { id: 'x', to: 'mql', when: { all: [{ fact: 'complete' }] } },
            { id: 'x', to: 'sql', when: { all: [{ fact: 'complete' }] } },
          ],
        },
      },
    ],
    ['an empty rule list', { stageRules: { b2b: [] } }],
    [
      'a rule id with spaces',
      {
        stageRules: { b2b: [{ id: 'my rule', to: 'mql', when: { all: [{ fact: 'complete' }] } }] },
      },
    ],
    [
      'an extra key in a rule',
      {
        stageRules: {
          b2b: [{ id: 'x', to: 'mql', when: { all: [{ fact: 'complete' }] }, priority: 1 }],
        },
      },
    ],
  ])('refuses %s', (_, rules) => {
    expect(RulesSchema.safeParse(rules).success).toBe(false)
  })

  it('says what a fit rule lacks, and where', () => {
    const none = RulesSchema.safeParse({ fitRules: [{ id: 'x', points: 5 }] })
    expect(none.error?.issues.map((issue) => issue.message)).toContain(
      'needs a field, forms, source or medium',
    )
    const equals = RulesSchema.safeParse({
      fitRules: [{ id: 'x', medium: ['cpc'], equals: [true], points: 5 }],
    })
    expect(equals.error?.issues.map((issue) => issue.path)).toContainEqual(['fitRules', 0, 'field'])
  })

  it('refuses invalid rules inside a site, with a path to the culprit', () => {
    const result = SiteInputSchema.safeParse({
      name: 'Acme',
      allowedOrigins: ['https://acme.example'],
      rules: { points: { content: -1 } },
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['rules', 'points', 'content'])
  })
})
