import { describe, expect, it } from 'vitest'
import type { Rules } from '../../shared/rules'
import { resolveRules, type ResolvedRules } from '../../worker/src/domain/qualify/rules'
import type { Stage, StageModel } from '../../shared/site'
import {
  classify,
  emptyEngagementState,
  firstStage,
  manualStageAllowed,
  type ClassifyInput,
  type EngagementState,
  type LeadFields,
  type Touchpoint,
} from '../../worker/src/domain/qualify'
import { missingFields } from '../../worker/src/domain/lead-record'
import { DEFAULT_REQUIRED_FIELDS } from '../../shared/site'

const NOW = new Date('2026-11-22T12:00:00Z')

const ANNA: LeadFields = {
  email: 'a.berg@firma.de',
  firstName: 'Anna',
  lastName: 'Berg',
  company: 'Firma GmbH',
  jobTitle: 'Marketing Manager',
}
const CEO: LeadFields = { ...ANNA, jobTitle: 'Geschäftsführerin' }

function on(day: string, time = '09:00:00'): string {
  return `2026-11-${day}T${time}Z`
}
const view = (day: string, path = '/blog'): Touchpoint => ({ type: 'page_view', at: on(day), path })
const form = (
  day: string,
  formKind: Touchpoint['formKind'],
  title = `Form ${formKind}`,
): Touchpoint => ({
  type: 'form_submit',
  at: on(day, '10:00:00'),
  path: '/lp',
  title,
  ...(formKind ? { formKind } : {}),
})

/** Until the events API accepts `engaged_time`, the event type union does not name it. */
const engaged = (day: string, seconds: number, time = '09:30:00'): Touchpoint => ({
  type: 'engaged_time' as string as Touchpoint['type'],
  at: on(day, time),
  path: '/blog',
  seconds,
})
/** `points × log2(1 + n)`, rounded: what n of a diminishing kind earn in all. */
const dim = (points: number, n: number) => Math.round(points * Math.log2(1 + n))

/** Several days of content and reading: enough engagement for an MQL, no buying intent. */
const NURTURED: Touchpoint[] = [
  view('10'),
  form('10', 'whitepaper', 'Whitepaper 2026'),
  view('14'),
  form('14', 'ebook', 'E-Book KI'),
  view('18'),
  engaged('18', 240),
  form('18', 'checklist', 'DSGVO-Checkliste'),
]

interface Lead {
  model?: StageModel
  rules?: Rules
  stage?: Stage
  stageSetBy?: 'rule' | 'manual'
  fields?: LeadFields
  state?: EngagementState
  touchpoints?: Touchpoint[]
  firstTouch?: ClassifyInput['firstTouch']
  optIn?: boolean
  now?: Date
}

function run(lead: Lead) {
  const model = lead.model ?? 'b2b'
  const fields = lead.fields ?? ANNA
  const rules: ResolvedRules = resolveRules(lead.rules, model)
  const input: ClassifyInput = {
    model,
    rules,
    fields,
    missing: missingFields(
      Object.fromEntries(
        Object.entries(fields).filter(
          (entry): entry is [string, string | boolean] => entry[1] !== undefined,
        ),
      ),
      DEFAULT_REQUIRED_FIELDS[model],
      // Every required field asked, as a form that asks them all would.
      DEFAULT_REQUIRED_FIELDS[model],
    ),
    state: lead.state ?? emptyEngagementState(),
    now: lead.now ?? NOW,
    ...(lead.stage ? { stage: lead.stage } : {}),
    ...(lead.stageSetBy ? { stageSetBy: lead.stageSetBy } : {}),
    ...(lead.touchpoints ? { touchpoints: lead.touchpoints } : {}),
    ...(lead.firstTouch ? { firstTouch: lead.firstTouch } : {}),
    ...(lead.optIn !== undefined ? { optIn: lead.optIn } : {}),
  }
  return classify(input)
}

describe('classify, b2b (default rules)', () => {
  it('starts a new lead at `lead`, recorded as a step of rule b2b.lead', () => {
    const result = run({ touchpoints: [form('22', 'survey')] })
    expect(result.stage).toBe('lead')
    expect(result.changes).toEqual([{ from: null, to: 'lead', ruleId: 'b2b.lead' }])
  })

  it('keeps a complete newsletter-only lead at `lead`', () => {
    const result = run({ touchpoints: [view('22'), form('22', 'newsletter')] })
    expect(result.complete).toBe(true)
    expect(result.engagement).toBe(6)
    expect(result.stage).toBe('lead')
    expect(result.temperature).toBe('warm')
  })

  it('keeps a lead missing company and job title at `lead` however engaged, with its missing list', () => {
    const { company: _company, jobTitle: _jobTitle, ...partial } = CEO
    const result = run({
      stage: 'lead',
      fields: partial,
      touchpoints: [
        ...NURTURED,
        form('19', 'webinar'),
        view('20', '/pricing'),
        view('21', '/pricing'),
        form('22', 'demo_request'),
      ],
    })
    expect(result.engagement).toBeGreaterThan(60)
    expect(result.complete).toBe(false)
    expect(result.missing).toEqual(['company', 'jobTitle'])
    expect(result.stage).toBe('lead')
    expect(result.changes).toEqual([])
    expect(result.change).toBeUndefined()
  })

  it('makes a complete lead with repeated content downloads and visits on several days an `mql`', () => {
    const result = run({ stage: 'lead', touchpoints: NURTURED })
    expect(result.engagement).toBeGreaterThanOrEqual(28)
    expect(result.stage).toBe('mql')
    expect(result.change).toEqual({ from: 'lead', to: 'mql', ruleId: 'b2b.mql' })
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        "+8 downloaded 'Whitepaper 2026'",
        `+${dim(2, 1)} came back on 2026-11-14`,
        `+${dim(10, 4)} engaged 4 min on 2026-11-18`,
        '+10 business email domain firma.de',
      ]),
    )
  })

  it('makes an MQL with a decision-maker title and a demo request an `sql`, and hot', () => {
    const mql = run({
      stage: 'lead',
      fields: CEO,
      touchpoints: NURTURED,
      now: new Date(on('18', '12:00:00')),
    })
    expect(mql.stage).toBe('mql')
    const result = run({
      stage: 'mql',
      fields: CEO,
      state: mql.state,
      touchpoints: [form('22', 'demo_request', 'Demo buchen')],
    })
    expect(result.fit).toBeGreaterThanOrEqual(30)
    expect(result.stage).toBe('sql')
    expect(result.temperature).toBe('hot')
    expect(result.changes).toEqual([{ from: 'mql', to: 'sql', ruleId: 'b2b.sql' }])
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        '+20 decision maker (Geschäftsführerin)',
        "+15 requested a demo ('Demo buchen')",
      ]),
    )
  })

  it('takes a decision maker’s first demo request from nothing to `sql` in one call, step by step', () => {
    const result = run({
      fields: CEO,
      touchpoints: [engaged('22', 240), form('22', 'demo_request')],
    })
    // Four engaged minutes and the request: past the MQL threshold in one visit.
    expect(result.engagement).toBe(dim(10, 4) + 15)
    expect(result.stage).toBe('sql')
    expect(result.changes).toEqual([
      { from: null, to: 'lead', ruleId: 'b2b.lead' },
      { from: 'lead', to: 'mql', ruleId: 'b2b.mql' },
      { from: 'mql', to: 'sql', ruleId: 'b2b.sql' },
    ])
    expect(result.change).toEqual({ from: null, to: 'sql', ruleId: 'b2b.sql' })
  })

  it('counts repeated pricing-page views as buying intent', () => {
    const mql = run({
      stage: 'mql',
      fields: CEO,
      touchpoints: [...NURTURED, view('21', '/pricing'), view('21', '/pricing')],
    })
    expect(mql.stage).toBe('mql')
    const result = run({
      stage: 'mql',
      fields: CEO,
      state: mql.state,
      touchpoints: [view('22', '/de/preise')],
    })
    expect(result.stage).toBe('sql')
    expect(result.change?.ruleId).toBe('b2b.sql')
  })

  it('keeps an MQL whose fit is below the SQL threshold at `mql` despite a demo request', () => {
    const result = run({
      stage: 'mql',
      fields: { ...ANNA, email: 'anna.berg@gmx.de', jobTitle: 'Werkstudentin' },
      touchpoints: [engaged('22', 240), form('22', 'demo_request')],
    })
    expect(result.fit).toBe(5)
    expect(result.stage).toBe('mql')
    expect(result.temperature).toBe('hot')
  })

  it('never moves a lead back when its engagement has decayed', () => {
    const later = new Date('2027-06-01T00:00:00Z')
    const result = run({ stage: 'mql', touchpoints: NURTURED, now: later })
    expect(result.engagement).toBeLessThan(25)
    expect(result.stage).toBe('mql')
    expect(result.temperature).toBe('cold')
  })

  it.each<[string, Stage, 'rule' | 'manual']>([
    ['an opportunity set by sales', 'opportunity', 'manual'],
    ['a customer', 'customer', 'manual'],
    ['a disqualified lead', 'disqualified', 'manual'],
    ['a lead a person moved back to mql', 'mql', 'manual'],
    ['a lead a person moved back to lead', 'lead', 'manual'],
    ['an opportunity even if marked as set by a rule', 'opportunity', 'rule'],
  ])('does not change the stage of %s', (_, stage, stageSetBy) => {
    const result = run({
      stage,
      stageSetBy,
      fields: CEO,
      touchpoints: [...NURTURED, form('22', 'demo_request'), form('22', 'quote_request')],
    })
    expect(result.stage).toBe(stage)
    expect(result.changes).toEqual([])
    // Scores and temperature still follow the facts.
    expect(result.temperature).toBe('hot')
    expect(result.fit).toBe(35)
  })

  it('leaves a stage of the other model alone (a site that switched models)', () => {
    const result = run({ stage: 'engaged', fields: CEO, touchpoints: [form('22', 'demo_request')] })
    expect(result.stage).toBe('engaged')
    expect(result.changes).toEqual([])
  })

  it('lists fit reasons first, then engagement reasons newest first', () => {
    const result = run({ stage: 'lead', touchpoints: NURTURED })
    expect(result.reasons.slice(0, 2)).toEqual([
      '+10 business email domain firma.de',
      '+5 company given (Firma GmbH)',
    ])
    expect(result.reasons[2]).toBe("+8 downloaded 'DSGVO-Checkliste'")
    expect(result.reasons[3]).toBe(`+${dim(10, 4)} engaged 4 min on 2026-11-18`)
  })
})

describe('classify, b2c', () => {
  const PAUL: LeadFields = { email: 'paul@gmx.de', firstName: 'Paul', lastName: 'Meier' }

  it('starts a new lead at `prospect`', () => {
    expect(firstStage('b2c')).toBe('prospect')
    const result = run({ model: 'b2c', fields: PAUL, touchpoints: [form('22', 'newsletter')] })
    expect(result.stage).toBe('prospect')
    expect(result.changes).toEqual([{ from: null, to: 'prospect', ruleId: 'b2c.prospect' }])
  })

  it.each<[string, Stage, Touchpoint[], LeadFields, Stage, string | undefined]>([
    ['one newsletter signup', 'prospect', [form('22', 'newsletter')], PAUL, 'prospect', undefined],
    [
      'a second form',
      'prospect',
      [form('20', 'newsletter'), form('22', 'checklist')],
      PAUL,
      'engaged',
      'b2c.engaged',
    ],
    ['a webinar registration', 'prospect', [form('22', 'webinar')], PAUL, 'engaged', 'b2c.engaged'],
    [
      'repeated pricing views and engaged time',
      'engaged',
      [view('20', '/preise'), view('21', '/preise'), engaged('22', 240), view('22', '/preise')],
      PAUL,
      'interested',
      'b2c.interested',
    ],
    [
      'a quote request after four engaged minutes',
      'engaged',
      [engaged('22', 240), form('22', 'quote_request')],
      PAUL,
      'interested',
      'b2c.interested',
    ],
    [
      'a quick quote request alone',
      'engaged',
      [form('22', 'quote_request')],
      PAUL,
      'engaged',
      undefined,
    ],
    [
      'repeated pricing views alone',
      'engaged',
      [view('20', '/preise'), view('21', '/preise'), view('22', '/preise')],
      PAUL,
      'engaged',
      undefined,
    ],
    [
      'a stated budget',
      'interested',
      [view('22')],
      { ...PAUL, budget: '500 €' },
      'need_recognized',
      'b2c.need_recognized',
    ],
    [
      'a near timeline',
      'interested',
      [view('22')],
      { ...PAUL, timeline: 'sofort' },
      'need_recognized',
      'b2c.need_recognized',
    ],
    [
      'anything, once the need is recognised',
      'need_recognized',
      [form('22', 'quote_request')],
      { ...PAUL, budget: '500 €' },
      'need_recognized',
      undefined,
    ],
  ])(
    'moves a b2c lead with %s from %s to %s',
    (_, stage, touchpoints, fields, expected, ruleId) => {
      const result = run({ model: 'b2c', stage, fields, touchpoints })
      expect(result.stage).toBe(expected)
      expect(result.change?.ruleId).toBe(ruleId)
    },
  )

  it('takes a prospect asking for a quote with a budget through every automatic stage, never to customer', () => {
    const result = run({
      model: 'b2c',
      stage: 'prospect',
      fields: { ...PAUL, budget: '2.000 €' },
      touchpoints: [engaged('22', 240), form('22', 'quote_request')],
    })
    expect(result.changes.map((change) => change.to)).toEqual([
      'engaged',
      'interested',
      'need_recognized',
    ])
  })

  it('keeps an incomplete b2c lead at `prospect`', () => {
    const result = run({
      model: 'b2c',
      stage: 'prospect',
      fields: { email: 'paul@gmx.de' },
      touchpoints: [form('22', 'quote_request')],
    })
    expect(result.missing).toEqual(['firstName', 'lastName'])
    expect(result.stage).toBe('prospect')
  })
})

describe('classify with a site’s own settings', () => {
  it('applies a higher MQL threshold', () => {
    expect(run({ stage: 'lead', touchpoints: NURTURED, rules: { mqlThreshold: 60 } }).stage).toBe(
      'lead',
    )
  })

  it('applies a lower MQL threshold', () => {
    expect(
      run({ stage: 'lead', touchpoints: [form('22', 'newsletter')], rules: { mqlThreshold: 4 } })
        .stage,
    ).toBe('mql')
    // The newsletter's 4 points, below the default threshold.
    expect(run({ stage: 'lead', touchpoints: [form('22', 'newsletter')] }).stage).toBe('lead')
  })

  it('applies the site’s own points', () => {
    const result = run({
      stage: 'lead',
      touchpoints: [form('22', 'newsletter')],
      rules: { points: { newsletter: 30 } },
    })
    expect(result.engagement).toBe(30)
    expect(result.stage).toBe('mql')
  })

  it('applies a lower SQL threshold', () => {
    const result = run({
      stage: 'mql',
      touchpoints: [form('22', 'demo_request')],
      rules: { sqlThreshold: 15 },
    })
    expect(result.fit).toBe(15)
    expect(result.stage).toBe('sql')
  })

  it('applies the site’s own pricing pages', () => {
    const pricing = [view('20', '/tarife'), view('21', '/tarife'), view('22', '/tarife')]
    expect(run({ stage: 'mql', fields: CEO, touchpoints: pricing }).stage).toBe('mql')
    expect(
      run({ stage: 'mql', fields: CEO, touchpoints: pricing, rules: { pricingPaths: ['/tarife'] } })
        .stage,
    ).toBe('sql')
  })

  it('applies the site’s own decision-maker titles', () => {
    const fields = { ...ANNA, jobTitle: 'Bürgermeisterin' }
    const rules: Rules = { decisionMakerTitles: ['Bürgermeister*'] }
    expect(run({ fields, rules }).fit).toBe(35)
    expect(run({ fields }).fit).toBe(15)
  })

  it('follows the site’s own stage rules instead of the built-in ones', () => {
    const rules: Rules = {
      stageRules: {
        b2b: [
          { id: 'acme.mql', to: 'mql', when: { all: [{ metric: 'visitDays', atLeast: 2 }] } },
          {
            id: 'acme.sql',
            to: 'sql',
            when: { all: [{ fact: 'decisionMaker' }, { formKinds: ['webinar'] }] },
          },
        ],
      },
    }
    const twoDays = [view('21'), view('22')]
    expect(run({ stage: 'lead', touchpoints: twoDays, rules }).change).toEqual({
      from: 'lead',
      to: 'mql',
      ruleId: 'acme.mql',
    })
    expect(run({ stage: 'lead', touchpoints: NURTURED.slice(0, 2), rules }).stage).toBe('lead')
    expect(
      run({ stage: 'mql', fields: CEO, touchpoints: [form('22', 'webinar')], rules }).stage,
    ).toBe('sql')
    expect(
      run({ stage: 'mql', fields: CEO, touchpoints: [form('22', 'demo_request')], rules }).stage,
    ).toBe('mql')
  })

  it('lets a site’s rule jump a stage, and still not past an incomplete record', () => {
    const rules: Rules = {
      stageRules: {
        b2b: [
          {
            id: 'fast',
            from: ['lead'],
            to: 'sql',
            when: { all: [{ formKinds: ['contact_sales'] }] },
          },
        ],
      },
    }
    expect(
      run({ stage: 'lead', touchpoints: [form('22', 'contact_sales')], rules }).changes,
    ).toEqual([{ from: 'lead', to: 'sql', ruleId: 'fast' }])
    expect(
      run({
        stage: 'lead',
        fields: { email: 'x@firma.de' },
        touchpoints: [form('22', 'contact_sales')],
        rules,
      }).stage,
    ).toBe('lead')
  })
})

describe('classify: what the new defaults count', () => {
  it('makes a complete reader of seven engaged minutes an `mql` with one reason line for the time', () => {
    const result = run({ stage: 'lead', touchpoints: [engaged('22', 420)] })
    expect(result.engagement).toBe(dim(10, 7))
    expect(result.engagement).toBeGreaterThanOrEqual(28)
    expect(result.stage).toBe('mql')
    expect(result.reasons).toContain(`+${dim(10, 7)} engaged 7 min on 2026-11-22`)
    // Five minutes stay under the threshold.
    expect(dim(10, 5)).toBeLessThan(28)
    expect(run({ stage: 'lead', touchpoints: [engaged('22', 300)] }).stage).toBe('lead')
  })

  it('keeps a lone demo request warm, and makes it hot with engagement of hotThreshold', () => {
    expect(run({ stage: 'mql', touchpoints: [form('22', 'demo_request')] }).temperature).toBe(
      'warm',
    )
    expect(
      run({ stage: 'mql', touchpoints: [engaged('22', 240), form('22', 'demo_request')] })
        .temperature,
    ).toBe('hot')
    expect(
      run({
        stage: 'mql',
        touchpoints: [form('22', 'demo_request')],
        rules: { hotThreshold: 15 },
      }).temperature,
    ).toBe('hot')
  })

  it('lets a site’s stage rules test engaged minutes and page views', () => {
    const rules: Rules = {
      stageRules: {
        b2b: [
          {
            id: 'reader',
            to: 'mql',
            when: {
              all: [
                { metric: 'engagedMinutes', atLeast: 5 },
                { metric: 'pageViews', atLeast: 2 },
              ],
            },
          },
        ],
      },
    }
    const read = (seconds: number, views: number) =>
      run({
        stage: 'lead',
        rules,
        touchpoints: [
          engaged('22', seconds),
          ...Array.from({ length: views }, (_, i) => view('22', `/blog/${i}`)),
        ],
      }).stage
    expect(read(300, 2)).toBe('mql')
    expect(read(299, 2)).toBe('lead')
    expect(read(300, 1)).toBe('lead')
  })

  it('applies fit rules over the form the lead came through and its first touch', () => {
    const rules: Rules = {
      fitRules: [
        { id: 'partner', forms: ['partner'], points: 20 },
        { id: 'ads', source: ['google'], medium: ['cpc'], points: -5 },
      ],
    }
    const viaPartner: Touchpoint = { ...form('22', 'contact_sales'), formId: 'partner' }
    const result = run({
      stage: 'lead',
      rules,
      touchpoints: [viaPartner],
      firstTouch: { source: 'Google', medium: 'CPC' },
    })
    expect(result.state.formIds).toEqual(['partner'])
    expect(result.fit).toBe(10 + 5 + 20 - 5)
    expect(result.reasons.slice(0, 4)).toEqual([
      '+10 business email domain firma.de',
      '+5 company given (Firma GmbH)',
      '+20 came through form partner',
      '-5 source google, medium cpc',
    ])
    // The form is remembered: a later call without it still counts it.
    const later = run({ stage: 'lead', rules, state: result.state, touchpoints: [view('22')] })
    expect(later.fit).toBe(10 + 5 + 20)
  })

  it('counts a marketing opt-in for fit, and remembers it', () => {
    const first = run({ stage: 'lead', touchpoints: [form('22', 'newsletter')], optIn: true })
    expect(first.state.optIn).toBe(true)
    expect(first.fit).toBe(10 + 5 + 6)
    expect(first.reasons).toContain('+6 asked for marketing email')
    const again = run({ stage: 'lead', state: first.state, touchpoints: [view('22')] })
    expect(again.fit).toBe(10 + 5 + 6)
    expect(run({ stage: 'lead', touchpoints: [form('22', 'newsletter')] }).fit).toBe(10 + 5)
  })

  it('scores a b2c lead with the b2c points', () => {
    const result = run({
      model: 'b2c',
      stage: 'prospect',
      fields: { ...ANNA, phone: '+49301234567', occupation: 'Lehrerin' },
      touchpoints: [form('22', 'newsletter')],
      optIn: true,
    })
    expect(result.fit).toBe(8 + 5 + 8)
    expect(result.reasons.slice(0, 3)).toEqual([
      '+8 phone given',
      '+5 answered 1 question',
      '+8 asked for marketing email',
    ])
  })
})

describe('manualStageAllowed', () => {
  it.each<[StageModel, string, boolean]>([
    ['b2b', 'opportunity', true],
    ['b2b', 'customer', true],
    ['b2b', 'disqualified', true],
    ['b2b', 'lead', true],
    ['b2b', 'mql', true],
    ['b2b', 'engaged', false],
    ['b2b', 'won', false],
    ['b2c', 'prospect', true],
    ['b2c', 'need_recognized', true],
    ['b2c', 'customer', true],
    ['b2c', 'disqualified', true],
    ['b2c', 'sql', false],
    ['b2c', 'opportunity', false],
  ])('%s allows a person to set %s: %s', (model, stage, expected) => {
    expect(manualStageAllowed(model, stage)).toBe(expected)
  })
})
