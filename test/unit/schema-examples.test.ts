import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as contract from '../../shared'
import { ReportQuerySchema } from '../../shared/campaigns'
import { LeadListQuerySchema } from '../../shared/leads'
import { schemasIn } from './zod-schemas'

const exported = Object.entries(contract as Record<string, unknown>).filter(
  (entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType,
)

/** Every `.meta({ example })` in the wire contract, with where it was found. */
const examples = exported.flatMap(([name, schema]) =>
  [...schemasIn(schema)]
    .filter((inner) => inner.meta()?.example !== undefined)
    .map((inner) => ({ name, schema: inner, example: inner.meta()?.example })),
)

/** The query of a route: each parameter's own example, together. */
function queryExample(schema: z.ZodObject) {
  return Object.fromEntries(
    Object.entries(schema.shape)
      .map(([key, field]) => [key, field.meta()?.example] as const)
      .filter(([, example]) => example !== undefined),
  )
}

describe('examples of the wire contract', () => {
  it('are accepted by the schema that carries them', () => {
    expect(examples.length).toBeGreaterThan(30)
    for (const { name, schema, example } of examples) {
      const result = schema.safeParse(example)
      expect(result.error?.issues ?? [], `${name}: ${JSON.stringify(example)}`).toEqual([])
    }
  })

  it('are on every request body and every JSON answer', () => {
    const withExample = new Set(
      exported.filter(([, schema]) => schema.meta()?.example !== undefined).map(([name]) => name),
    )
    for (const name of [
      'SiteInputSchema',
      'SiteSchema',
      'TokenInputSchema',
      'TokenCreatedSchema',
      'FormInputSchema',
      'FormSchema',
      'SiteConfigSchema',
      'FormStartSchema',
      'EventBatchSchema',
      'EventBatchResultSchema',
      'LeadSubmissionSchema',
      'LeadSubmissionResultSchema',
      'LeadSummarySchema',
      'LeadListSchema',
      'LeadDetailSchema',
      'StageChangeInputSchema',
      'ConsentReceiptSchema',
      'WithdrawInputSchema',
      'WithdrawResultSchema',
      'CampaignInputSchema',
      'CampaignSchema',
      'SpendInputSchema',
      'SpendResultSchema',
      'CampaignReportSchema',
      'SITE_KEY',
    ]) {
      expect(withExample.has(name), name).toBe(true)
    }
  })

  it('make a whole query from the examples of its parameters', () => {
    for (const schema of [LeadListQuerySchema, ReportQuerySchema]) {
      const result = schema.safeParse(queryExample(schema))
      expect(result.error?.issues ?? []).toEqual([])
    }
    expect(Object.keys(queryExample(LeadListQuerySchema))).toEqual([
      'q',
      'sort',
      'stage',
      'temperature',
      'campaign',
      'attribution',
      'reached',
      'minScore',
      'minProbability',
      'createdFrom',
      'createdTo',
      'from',
      'to',
      'cursor',
      'limit',
    ])
  })
})
