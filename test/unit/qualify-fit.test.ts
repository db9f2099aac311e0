import { describe, expect, it } from 'vitest'
import { DEFAULT_DECISION_MAKER_TITLES, resolveRules } from '../../worker/src/domain/qualify/rules'
import {
  isBudgetStated,
  isDecisionMakerTitle,
  isFreemailDomain,
  isTimelineWithin,
  scoreFit,
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
