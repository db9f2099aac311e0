import { describe, expect, it } from 'vitest'
import { NO_TOUCH } from '../../worker/src/domain/attribution'
import {
  checkConsents,
  decideJourney,
  planCapture,
  type CaptureInput,
  type KnownLead,
} from '../../worker/src/domain/capture-plan'

const NOW = '2026-11-22T12:00:00.000Z'

const SITE: CaptureInput['site'] = {
  siteKey: 'acme',
  stageModel: 'b2b',
  rules: {},
  requiredFields: ['email', 'firstName', 'company'],
}

const FORM: CaptureInput['form'] = {
  formId: 'whitepaper-2026',
  kind: 'whitepaper',
  title: 'Paper',
  locales: ['en'],
  fields: [{ name: 'email' }, { name: 'firstName' }, { name: 'company' }],
}

const NEWSLETTER: CaptureInput['form'] = {
  formId: 'newsletter',
  kind: 'newsletter',
  title: 'Newsletter',
  locales: ['en'],
  fields: [{ name: 'email' }],
}

const MARKETING = {
  purpose: 'marketing_email',
  textId: 'ct_marketing',
  version: 1,
  text: 'Ja, Mails.',
  sha256: 'a'.repeat(64),
  required: false,
}
const TRACKING = {
  purpose: 'tracking',
  textId: 'ct_tracking',
  version: 1,
  text: 'Ja, Auswertung.',
  sha256: 'b'.repeat(64),
  required: false,
}

function input(overrides: Partial<CaptureInput> = {}): CaptureInput {
  return {
    site: SITE,
    form: FORM,
    body: {
      submissionId: '3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f',
      page: { url: 'https://www.acme.example/whitepaper?x=1', referrer: '' },
      utm: { source: ' linkedin ', medium: 'paid', campaign: ' Q4-Whitepaper ' },
    },
    values: { firstName: 'Anna' },
    email: { email: 'Anna.Berg@firma.de', key: 'anna.berg@firma.de', domain: 'firma.de' },
    consents: [],
    known: null,
    earlier: { touches: [], touchpoints: [], eventIds: [] },
    visitorId: null,
    request: { network: '203.0.113.0/24', userAgent: 'Mozilla/5.0' },
    download: undefined,
    ids: { newLeadId: 'new-lead-id', nonce: 'nonce-1' },
    now: NOW,
    ...overrides,
  }
}

const KNOWN: KnownLead = {
  id: 'known-lead-id',
  version: 7,
  record: { email: 'anna.berg@firma.de', firstName: 'Anna', company: 'Alt GmbH', phone: '+4930' },
  stage: 'sql',
  stageSetBy: 'manual',
  scoreState: '{}',
  touches: {
    first: { source: 'google', medium: 'cpc', campaign: 'spring', at: '2026-10-01T09:00:00.000Z' },
    last: { source: 'google', medium: 'cpc', campaign: 'spring', at: '2026-10-01T09:00:00.000Z' },
  },
  firstSeenAt: '2026-10-01T09:00:00.000Z',
  missing: [],
}

describe('planCapture', () => {
  it('creates a new lead under the drawn id, incomplete while required fields are missing', () => {
    const plan = planCapture(input())
    expect(plan.nonce).toBe('nonce-1')
    expect(plan.lead).toMatchObject({
      id: 'new-lead-id',
      isNew: true,
      expectedVersion: null,
      emailKey: 'anna.berg@firma.de',
      record: { email: 'Anna.Berg@firma.de', firstName: 'Anna' },
      complete: false,
      missing: ['company'],
      firstSeenAt: NOW,
    })
    expect(plan.response).toEqual({
      leadId: 'new-lead-id',
      stage: plan.lead.stage,
      temperature: plan.lead.temperature,
      complete: false,
      missing: ['company'],
    })
    expect(plan.stageChanges[0]).toMatchObject({ from: null, to: plan.lead.stage })
  })

  it('judges completeness by what the forms asked: a newsletter signup is complete with its email', () => {
    const plan = planCapture(input({ form: NEWSLETTER, values: {} }))
    expect(plan.lead).toMatchObject({ complete: true, missing: [] })
    expect(plan.response).toMatchObject({ complete: true, missing: [] })
  })

  it('keeps what an earlier form asked and the lead has not given, until a form gets it', () => {
    // The whitepaper asked for the company and got none; a newsletter signup does not ask again.
    const known: KnownLead = {
      ...KNOWN,
      stageSetBy: 'rule',
      stage: 'lead',
      record: { email: 'anna.berg@firma.de', firstName: 'Anna' },
      missing: ['company'],
    }
    const signup = planCapture(input({ known, form: NEWSLETTER, values: {} }))
    expect(signup.lead).toMatchObject({ complete: false, missing: ['company'] })
    const answered = planCapture(input({ known, values: { company: 'Firma GmbH' } }))
    expect(answered.lead).toMatchObject({ complete: true, missing: [] })
  })

  it("takes the submission's UTM as first and last touch, with the campaign as its key", () => {
    const { lead } = planCapture(input())
    const touch = { source: 'linkedin', medium: 'paid', campaign: 'q4-whitepaper', at: NOW }
    expect(lead.firstTouch).toEqual(touch)
    expect(lead.lastTouch).toEqual(touch)
  })

  it('records no touch for a submission without a campaign', () => {
    const { lead } = planCapture(
      input({ body: { ...input().body, utm: { source: 'newsletter' } } }),
    )
    expect(lead.firstTouch).toEqual(NO_TOUCH)
    expect(lead.lastTouch).toEqual(NO_TOUCH)
  })

  it('merges into a known lead: newer values win, older ones stay, its version guards the write', () => {
    const plan = planCapture(input({ known: KNOWN, values: { company: 'Neu GmbH' } }))
    expect(plan.lead).toMatchObject({
      id: 'known-lead-id',
      isNew: false,
      expectedVersion: 7,
      record: {
        email: 'Anna.Berg@firma.de',
        firstName: 'Anna',
        company: 'Neu GmbH',
        phone: '+4930',
      },
      complete: true,
      missing: [],
    })
    expect(plan.response.leadId).toBe('known-lead-id')
  })

  it('keeps a stage a person set; the rules do not move it', () => {
    const plan = planCapture(input({ known: KNOWN }))
    expect(plan.lead.stage).toBe('sql')
    expect(plan.stageChanges).toEqual([])
  })

  it("moves the first touch back to an earlier touchpoint's campaign and the last to the submission", () => {
    const earlier = {
      touches: [
        { source: 'x', medium: 'social', campaign: 'teaser', at: '2026-09-15T08:00:00.000Z' },
        { source: 'direct', medium: null, campaign: null, at: '2026-09-01T08:00:00.000Z' },
      ],
      touchpoints: [],
      eventIds: ['evt-1', 'evt-2'],
    }
    const plan = planCapture(input({ known: KNOWN, earlier, visitorId: 'visitor-1' }))
    expect(plan.lead.firstTouch).toEqual(earlier.touches[0])
    expect(plan.lead.lastTouch).toMatchObject({ campaign: 'q4-whitepaper', at: NOW })
    // First seen is the earliest touchpoint, campaign or not.
    expect(plan.lead.firstSeenAt).toBe('2026-09-01T08:00:00.000Z')
    expect(plan.attach).toEqual({ visitorId: 'visitor-1', eventIds: ['evt-1', 'evt-2'] })
  })

  it('stores the submission: the normalised values, the page without its query, no empty referrer, the UTM', () => {
    const plan = planCapture(input())
    expect(plan.submission).toEqual({
      fields: JSON.stringify({ firstName: 'Anna' }),
      pageUrl: 'https://www.acme.example/whitepaper',
      referrer: null,
      utm: JSON.stringify(input().body.utm),
    })
    expect(plan).toMatchObject({ network: '203.0.113.0/24', userAgent: 'Mozilla/5.0' })
  })

  it('answers the download link it was given, and none without one', () => {
    const download = {
      url: 'https://collector.example/v1/downloads/t',
      filename: 'paper.pdf',
      expiresAt: NOW,
    }
    expect(planCapture(input({ download })).response.download).toEqual(download)
    expect(planCapture(input()).response).not.toHaveProperty('download')
  })
})

describe('checkConsents', () => {
  const form = { kind: 'whitepaper' as const, consents: [MARKETING, TRACKING] }

  it('records each answer with the text the form shows', () => {
    expect(
      checkConsents(form, [
        { purpose: 'marketing_email', granted: true, textId: 'ct_marketing' },
        { purpose: 'tracking', granted: false, textId: 'ct_tracking' },
      ]),
    ).toEqual({
      ok: true,
      consents: [
        {
          purpose: 'marketing_email',
          status: 'granted',
          method: 'checkbox',
          textId: 'ct_marketing',
          textSha256: 'a'.repeat(64),
        },
        {
          purpose: 'tracking',
          status: 'withdrawn',
          method: 'checkbox',
          textId: 'ct_tracking',
          textSha256: 'b'.repeat(64),
        },
      ],
    })
  })

  it('keeps a newsletter grant pending until its double opt-in', () => {
    const result = checkConsents({ kind: 'newsletter', consents: [MARKETING] }, [
      { purpose: 'marketing_email', granted: true, textId: 'ct_marketing' },
    ])
    expect(result).toMatchObject({
      ok: true,
      consents: [{ status: 'pending', method: 'double_opt_in' }],
    })
  })

  it('refuses a purpose the form does not ask, a text it does not show, and a second answer', () => {
    const result = checkConsents(form, [
      { purpose: 'profiling', granted: true, textId: 'ct_marketing' },
      { purpose: 'tracking', granted: true, textId: 'ct_other' },
      { purpose: 'tracking', granted: true, textId: 'ct_tracking' },
    ])
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual([
      'consents.0.purpose',
      'consents.1.textId',
      'consents',
    ])
  })

  it('refuses a submission that does not grant a required consent', () => {
    const required = { kind: 'whitepaper' as const, consents: [{ ...MARKETING, required: true }] }
    const result = checkConsents(required, [
      { purpose: 'marketing_email', granted: false, textId: 'ct_marketing' },
    ])
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'consents.marketing_email',
          reason: 'required',
          message: { en: 'this consent is required', de: 'diese Einwilligung ist erforderlich' },
        },
      ],
    })
  })
})

describe('decideJourney', () => {
  const body = {
    visitorId: '64b42d45-e9b8-446e-9b69-83523fe24127',
    consents: [{ purpose: 'tracking', granted: true, textId: 'ct_tracking' }],
  }

  it('links the visitor who agreed to tracking', () => {
    expect(decideJourney(body, false)).toEqual({
      visitorId: body.visitorId,
      trackingGranted: true,
    })
  })

  it('links nothing under Global Privacy Control, whatever was ticked', () => {
    expect(decideJourney(body, true)).toEqual({ visitorId: null, trackingGranted: false })
  })

  it('does not count a refused tracking consent as agreement', () => {
    const refused = { consents: [{ purpose: 'tracking', granted: false, textId: 'ct_tracking' }] }
    expect(decideJourney(refused, false)).toEqual({ visitorId: null, trackingGranted: false })
  })
})
