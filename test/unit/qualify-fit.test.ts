import { describe, expect, it } from 'vitest'
import { RulesSchema, type Rules } from '../../shared/rules'
import { DEFAULT_DECISION_MAKER_TITLES, resolveRules } from '../../worker/src/domain/qualify/rules'
import {
  isBudgetStated,
  isDecisionMakerTitle,
  isFreemailDomain,
  isTimelineWithin,
  scoreFit,
  type LeadFields,
} from '../../worker/src/domain/qualify'

const rules = resolveRules()
const NOW = new Date('2026-11-22T10:00:00Z')

describe('isDecisionMakerTitle', () => {
  it.each([
    'CEO',
    'Founder & CEO',
    'Co-Founder',
    'Geschäftsführerin',
    'Geschäftsführer',
    'Geschaeftsfuehrer',
    'geschäftsführende Gesellschafterin',
    'Inhaberin',
    'Praxisinhaber',
    'Gründer',
    'Head of Marketing',
    'Leiterin Einkauf',
    'Vertriebsleiterin',
    'Abteilungsleiter IT',
    'Marketing Director',
    'Verkaufsdirektor',
    'VP Sales',
    'Vorstand Finanzen',
    'Vorstandsvorsitzende',
    'Managing Director',
    'CTO',
    'Chief Revenue Officer',
    'Partner',
    'Prokuristin',
    'Owner',
  ])('counts %s as a decision maker', (title) => {
    expect(isDecisionMakerTitle(title, DEFAULT_DECISION_MAKER_TITLES)).toBe(true)
  })

  it.each([
    'Werkstudentin',
    'Marketing Manager',
    'Sachbearbeiter',
    'Doctor',
    'Software Engineer',
    'Assistentin der Geschäftsleitungs-Assistenz',
    'Ceologist',
    'Praktikant',
    '',
  ])('does not count %s', (title) => {
    expect(isDecisionMakerTitle(title, DEFAULT_DECISION_MAKER_TITLES)).toBe(false)
  })

  it('uses a site’s own list instead of the defaults', () => {
    expect(isDecisionMakerTitle('Bürgermeisterin', ['Bürgermeister*'])).toBe(true)
    expect(isDecisionMakerTitle('CEO', ['Bürgermeister*'])).toBe(false)
    expect(isDecisionMakerTitle('CEO', [])).toBe(false)
  })
})

describe('isFreemailDomain', () => {
  it.each([
    ['gmail.com', true],
    ['googlemail.com', true],
    ['gmx.de', true],
    ['web.de', true],
    ['t-online.de', true],
    ['GMX.net', true],
    ['mail.gmx.de', true],
    ['firma.de', false],
    ['acme.example', false],
    ['siemens.com', false],
  ])('%s is freemail: %s', (domain, expected) => {
    expect(isFreemailDomain(domain)).toBe(expected)
  })
})

describe('isTimelineWithin (three months)', () => {
  it.each<[string | boolean | undefined, boolean]>([
    ['sofort', true],
    ['ASAP', true],
    ['immediately', true],
    ['umgehend', true],
    ['within 3 months', true],
    ['innerhalb von 3 Monaten', true],
    ['1-3 Monate', true],
    ['1 – 3 months', true],
    ['in 2 Wochen', true],
    ['in 6 weeks', true],
    ['< 3 months', true],
    ['unter 3 Monaten', true],
    ['nächsten Monat', true],
    ['this quarter', true],
    ['2027-01-15', true],
    ['15.02.2027', true],
    ['Q1 2027', true],
    ['1. Quartal 2027', true],
    [true, true],
    ['3-6 Monate', false],
    ['4 months', false],
    ['more than 3 months', false],
    ['mehr als 3 Monate', false],
    ['über 3 Monate', false],
    ['> 3 months', false],
    ['3+ months', false],
    ['6 months+', false],
    ['1 Jahr', false],
    ['next year', false],
    ['nächstes Jahr', false],
    ['next quarter', false],
    ['langfristig', false],
    ['not within 3 months', false],
    ['nicht sofort', false],
    ['2027-03-01', false],
    ['Q2 2027', false],
    ['noch unklar', false],
    ['weiß nicht', false],
    ['', false],
    [false, false],
    [undefined, false],
  ])('%s → %s', (answer, expected) => {
    expect(isTimelineWithin(answer, 3, NOW)).toBe(expected)
  })

  it('follows a site’s own horizon', () => {
    expect(isTimelineWithin('6 months', 6, NOW)).toBe(true)
    expect(isTimelineWithin('2 months', 1, NOW)).toBe(false)
  })
})

describe('isBudgetStated', () => {
  it.each<[string | boolean | undefined, boolean]>([
    ['50.000 €', true],
    ['10k-50k', true],
    ['vorhanden', true],
    [true, true],
    ['kein Budget', false],
    ['keine Angabe', false],
    ['none', false],
    ['0', false],
    ['0 €', false],
    ['weiß ich nicht', false],
    ['noch offen', false],
    ['-', false],
    ['  ', false],
    [false, false],
    [undefined, false],
  ])('%s → %s', (answer, expected) => {
    expect(isBudgetStated(answer)).toBe(expected)
  })
})

describe('scoreFit', () => {
  it.each([
    [
      'a decision maker',
      { jobTitle: 'Geschäftsführerin' },
      20,
      '+20 decision maker (Geschäftsführerin)',
    ],
    [
      'a business email domain',
      { email: 'anna@firma.de' },
      10,
      '+10 business email domain firma.de',
    ],
    ['a freemail address', { email: 'anna@gmx.de' }, 0, undefined],
    ['a company', { company: 'Firma GmbH' }, 5, '+5 company given (Firma GmbH)'],
    ['a phone', { phone: '+49301234567' }, 5, '+5 phone given'],
    ['a budget', { budget: '50.000 €' }, 15, '+15 budget stated (50.000 €)'],
    [
      'a timeline within three months',
      { timeline: 'sofort' },
      10,
      '+10 timeline within 3 months (sofort)',
    ],
    ['a later timeline', { timeline: '6-12 Monate' }, 0, undefined],
    ['an empty company', { company: '  ' }, 0, undefined],
    ['a job title that decides nothing', { jobTitle: 'Werkstudent' }, 0, undefined],
  ])('scores %s', (_, fields, score, reason) => {
    const fit = scoreFit(fields, rules, NOW)
    expect(fit.score).toBe(score)
    expect(fit.reasons).toEqual(reason ? [reason] : [])
  })

  it('adds every fact of a full record, one reason each', () => {
    const fit = scoreFit(
      {
        email: 'a.berg@firma.de',
        jobTitle: 'Geschäftsführerin',
        company: 'Firma GmbH',
        phone: '+49301234567',
        budget: '20.000 €',
        timeline: 'innerhalb von 3 Monaten',
      },
      rules,
      NOW,
    )
    expect(fit.score).toBe(20 + 10 + 5 + 5 + 15 + 10)
    expect(fit.reasons).toHaveLength(6)
    expect(fit.facts).toEqual({
      decisionMaker: true,
      businessEmail: true,
      company: true,
      phone: true,
      budgetStated: true,
      timelineSoon: true,
    })
  })

  it('uses a site’s own fit points, and gives no reason for a fact worth nothing', () => {
    const own = resolveRules({ points: { businessEmail: 25, company: 0 } })
    const fit = scoreFit({ email: 'a@firma.de', company: 'Firma GmbH' }, own, NOW)
    expect(fit.score).toBe(25)
    expect(fit.reasons).toEqual(['+25 business email domain firma.de'])
    expect(fit.facts.company).toBe(true)
  })
})

describe('scoreFit: answered questions', () => {
  it.each<[string, Record<string, string | boolean>, number, string | undefined]>([
    ['one question', { occupation: 'Lehrerin' }, 5, '+5 answered 1 question'],
    [
      'three questions, a ticked box among them',
      { occupation: 'Lehrerin', household: '3', homeowner: true },
      15,
      '+15 answered 3 questions',
    ],
    [
      'six questions, four counted',
      { a: 'x', b: 'x', c: 'x', d: 'x', e: 'x', f: true },
      20,
      '+20 answered 6 questions (4 counted)',
    ],
    [
      'nothing beyond who the lead is and the separately scored fields',
      {
        email: 'a@gmx.de',
        firstName: 'A',
        lastName: 'B',
        name: 'A B',
        company: 'C',
        phone: '1',
        jobTitle: 'Werkstudent',
        budget: 'kein Budget',
        timeline: 'langfristig',
      },
      5 + 5,
      undefined,
    ],
    ['empty answers and an unticked box', { occupation: '  ', homeowner: false }, 0, undefined],
  ])('counts %s', (_, fields, score, reason) => {
    const fit = scoreFit(fields, rules, NOW)
    expect(fit.score).toBe(score)
    const answers = fit.reasons.filter((line) => line.includes('question'))
    expect(answers).toEqual(reason ? [reason] : [])
  })

  it('uses a site’s own points per answer', () => {
    const own = resolveRules({ points: { answers: 2 } })
    expect(scoreFit({ a: 'x', b: 'y' }, own, NOW).reasons).toEqual(['+4 answered 2 questions'])
  })
})

describe('scoreFit: marketing opt-in', () => {
  it('gives points to a lead that asked for marketing email, and none otherwise', () => {
    expect(scoreFit({}, rules, NOW, { optIn: true })).toMatchObject({
      score: 6,
      reasons: ['+6 asked for marketing email'],
    })
    expect(scoreFit({}, rules, NOW, { optIn: false }).score).toBe(0)
    expect(scoreFit({}, rules, NOW).score).toBe(0)
  })
})

describe('scoreFit: b2c points', () => {
  const b2c = resolveRules({}, 'b2c')

  it('gives a consumer no points for title, business email or company, 8 for a phone', () => {
    const fit = scoreFit(
      {
        email: 'a.berg@firma.de',
        jobTitle: 'Geschäftsführerin',
        company: 'Firma GmbH',
        phone: '+49301234567',
      },
      b2c,
      NOW,
    )
    expect(fit.score).toBe(8)
    expect(fit.reasons).toEqual(['+8 phone given'])
    // The facts hold whatever they are worth, for stage rules to test.
    expect(fit.facts).toMatchObject({ decisionMaker: true, businessEmail: true, company: true })
  })

  it('counts what a consumer tells and allows', () => {
    const fit = scoreFit(
      { email: 'paul@gmx.de', budget: '500 €', timeline: 'sofort', occupation: 'Lehrer' },
      b2c,
      NOW,
      { optIn: true },
    )
    expect(fit.score).toBe(10 + 10 + 5 + 8)
    expect(fit.reasons).toEqual([
      '+10 budget stated (500 €)',
      '+10 timeline within 3 months (sofort)',
      '+5 answered 1 question',
      '+8 asked for marketing email',
    ])
  })
})

describe('scoreFit: fit rules', () => {
  const withRules = (fitRules: Rules['fitRules']) =>
    resolveRules({ points: { answers: 0 }, fitRules: RulesSchema.parse({ fitRules }).fitRules })
  const ruleReasons = (
    fitRules: Rules['fitRules'],
    fields: LeadFields,
    context: Parameters<typeof scoreFit>[3] = {},
  ) => {
    const fit = scoreFit(fields, withRules(fitRules), NOW, context)
    return { score: fit.score, reasons: fit.reasons }
  }

  it.each([
    ['the same answer', 'Lehrerin'],
    ['another case', 'LEHRERIN'],
    ['spaces around and inside', '  Lehrerin '],
  ])('matches `equals` with %s', (_, answer) => {
    expect(
      ruleReasons([{ id: 't', field: 'occupation', equals: ['lehrerin'], points: 12 }], {
        occupation: answer,
      }),
    ).toEqual({ score: 12, reasons: [`+12 answered occupation: ${answer.trim()}`] })
  })

  it('folds umlauts and ß, and folds spaces within', () => {
    const rule = [
      { id: 'gf', field: 'role', equals: ['Geschäftsführer', 'Groß  händler'], points: 7 },
    ]
    expect(ruleReasons(rule, { role: 'geschaeftsfuehrer' }).score).toBe(7)
    expect(ruleReasons(rule, { role: 'GROSS HÄNDLER' }).score).toBe(7)
    expect(ruleReasons(rule, { role: 'Geschäftsführung' }).score).toBe(0)
  })

  it('matches a yes/no answer by boolean, not by its text', () => {
    const yes = [{ id: 'home', field: 'homeowner', equals: [true], points: 6 }]
    expect(ruleReasons(yes, { homeowner: true })).toEqual({
      score: 6,
      reasons: ['+6 answered homeowner: yes'],
    })
    expect(ruleReasons(yes, { homeowner: false }).score).toBe(0)
    expect(ruleReasons(yes, { homeowner: 'true' }).score).toBe(0)
    const no = [{ id: 'rent', field: 'homeowner', equals: [false], points: 3 }]
    expect(ruleReasons(no, { homeowner: false }).reasons).toEqual(['+3 answered homeowner: no'])
  })

  it('gives negative points to an empty answer, with a reason that says so', () => {
    const rule = [{ id: 'no-job', field: 'occupation', filled: false, points: -8 }]
    for (const fields of [{}, { occupation: '   ' }]) {
      expect(ruleReasons(rule, { email: 'a@gmx.de', ...fields })).toEqual({
        score: -8,
        reasons: ['-8 left occupation empty'],
      })
    }
    expect(ruleReasons(rule, { occupation: 'Lehrer' })).toEqual({ score: 0, reasons: [] })
  })

  it('gives points for any answer to a field when neither `equals` nor `filled` is given', () => {
    const rule = [{ id: 'any', field: 'comment', points: 2 }]
    expect(ruleReasons(rule, { comment: 'Bitte zurückrufen' }).reasons).toEqual([
      '+2 answered comment',
    ])
    expect(ruleReasons(rule, { comment: '' }).score).toBe(0)
  })

  it('gives points for a form the lead came through, without a field', () => {
    const rule = [{ id: 'partner', forms: ['partner-referral', 'partner'], points: 20 }]
    expect(ruleReasons(rule, {}, { formIds: ['wp', 'partner'] })).toEqual({
      score: 20,
      reasons: ['+20 came through form partner-referral or partner'],
    })
    expect(ruleReasons(rule, {}, { formIds: ['wp'] }).score).toBe(0)
    expect(ruleReasons(rule, {}).score).toBe(0)
  })

  it('needs every condition of a rule: a field’s answer and a form', () => {
    const rule = [{ id: 'x', field: 'occupation', equals: ['Lehrer'], forms: ['wp'], points: 4 }]
    expect(ruleReasons(rule, { occupation: 'Lehrer' }, { formIds: ['wp'] }).reasons).toEqual([
      '+4 answered occupation: Lehrer, came through form wp',
    ])
    expect(ruleReasons(rule, { occupation: 'Lehrer' }, { formIds: ['demo'] }).score).toBe(0)
    expect(ruleReasons(rule, { occupation: 'Arzt' }, { formIds: ['wp'] }).score).toBe(0)
  })

  it('matches the first touch’s source and medium, case folded', () => {
    const rule = [{ id: 'ads', source: ['Google'], medium: ['CPC'], points: -3 }]
    expect(ruleReasons(rule, {}, { source: 'google', medium: 'cpc' })).toEqual({
      score: -3,
      reasons: ['-3 source Google, medium CPC'],
    })
    expect(ruleReasons(rule, {}, { source: 'google', medium: 'organic' }).score).toBe(0)
    expect(ruleReasons(rule, {}, { source: null, medium: 'cpc' }).score).toBe(0)
    const mail = [{ id: 'mail', medium: ['email'], points: 4 }]
    expect(ruleReasons(mail, {}, { source: 'newsletter', medium: 'Email' }).score).toBe(4)
  })

  it('says a rule’s label instead of what it tests, and adds rules to the model’s points', () => {
    const own = withRules([
      { id: 'teacher', field: 'occupation', equals: ['Lehrer'], points: 12, label: 'teaches' },
      { id: 'nothing', field: 'occupation', points: 0 },
    ])
    const fit = scoreFit({ email: 'a@firma.de', occupation: 'Lehrer' }, own, NOW)
    expect(fit.score).toBe(10 + 12)
    expect(fit.reasons).toEqual(['+10 business email domain firma.de', '+12 teaches'])
  })
})
