import { expect } from 'vitest'
import type { LeadList, LeadSubmissionResult } from '../../../shared/leads'
import type { FormInput } from '../../../shared/form'
import type { SiteInput } from '../../../shared/site'
import { admin, createSite, leadBody, postLead, type TestSite } from '../helpers'

/** A quiz form whose `occupation` select is what predicts conversion in these populations. */
export const QUIZ_FORM: FormInput = {
  kind: 'survey',
  title: 'Quiz',
  fields: [
    { name: 'email', type: 'email', required: true, label: 'E-Mail' },
    { name: 'firstName', type: 'text', required: false, label: 'Vorname' },
    { name: 'lastName', type: 'text', required: false, label: 'Nachname' },
    {
      name: 'occupation',
      type: 'select',
      required: false,
      label: 'Beruf',
      options: ['teacher', 'nurse', 'other'],
    },
    { name: 'phone', type: 'tel', required: false, label: 'Telefon' },
  ],
  consents: [{ purpose: 'marketing_email', text: 'Ja, per E-Mail.', required: false }],
}

export function modelSite(overrides: Partial<SiteInput> = {}): Promise<TestSite> {
  return createSite({ stageModel: 'b2b', ...overrides }, QUIZ_FORM)
}

export interface Populated {
  leadId: string
  email: string
  occupation: string
  positive: boolean | null
}

/**
 * `n` leads through `POST /v1/leads`, each from its own network (the lead rate limit counts per
 * /24). `outcome(i)` says what the stage API then sets: `true` opportunity, `false` disqualified,
 * `null` nothing. Teachers mostly convert; others mostly not.
 */
export async function populate(
  site: TestSite,
  n: number,
  outcome: (i: number, occupation: string) => boolean | null = (i, occupation) =>
    i % 10 === 0 ? occupation !== 'teacher' : occupation === 'teacher',
): Promise<Populated[]> {
  const leads: Populated[] = []
  for (let i = 0; i < n; i++) {
    const occupation = i % 2 === 0 ? 'teacher' : i % 3 === 0 ? 'nurse' : 'other'
    const email = `lead${i}.${site.siteKey}@firma${i % 4}.de`
    const body = leadBody(site, {
      formId: 'wp',
      fields: {
        email,
        firstName: `Vorname${i}`,
        lastName: 'Berg',
        occupation,
        ...(i % 3 === 0 ? { phone: '030 1234567' } : {}),
      },
      consents: [],
      utm: { source: 'newsletter', medium: 'email' },
    })
    const response = await postLead(site, body, { ip: `198.51.${i % 250}.${1 + (i % 3)}` })
    expect(response.status).toBe(201)
    const { leadId } = (await response.json()) as LeadSubmissionResult
    const positive = outcome(i, occupation)
    if (positive !== null) await setStage(site, leadId, positive ? 'opportunity' : 'disqualified')
    leads.push({ leadId, email, occupation, positive })
  }
  return leads
}

export async function setStage(site: TestSite, leadId: string, stage: string): Promise<void> {
  const response = await admin(`/v1/admin/sites/${site.siteKey}/leads/${leadId}/stage`, 'POST', {
    stage,
  })
  expect(response.status).toBe(200)
}

export async function listAll(
  site: TestSite,
  query: Record<string, string>,
): Promise<LeadList['leads']> {
  const leads: LeadList['leads'] = []
  let cursor: string | null = null
  for (let page = 0; page < 100; page++) {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })
    const response = await admin(`/v1/admin/sites/${site.siteKey}/leads?${params}`, 'GET')
    expect(response.status).toBe(200)
    const body = (await response.json()) as LeadList
    leads.push(...body.leads)
    cursor = body.nextCursor
    if (!cursor) break
  }
  return leads
}
