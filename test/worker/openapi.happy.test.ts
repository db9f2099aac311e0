import { Validator, type Schema } from '@cfworker/json-schema'
import OPENAPI_31_SCHEMA from '@seriousme/openapi-schema-validator/schemas/v3.1/schema.json'
import { describe, expect, it } from 'vitest'
import { call } from './helpers'

interface Operation {
  summary?: string
  security?: unknown[]
  parameters?: { name: string; in: string; example?: unknown; schema?: { example?: unknown } }[]
  requestBody?: { content: Record<string, { schema: { example?: unknown; $ref?: string } }> }
  responses: Record<
    string,
    { content?: Record<string, { schema: { example?: unknown; $ref?: string } }> }
  >
}
interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, unknown> }
}

/** Every `$ref` in the document, so each can be checked to point at something. */
function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsOf(item, found))
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner)
      else refsOf(inner, found)
    }
  }
  return found
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      document,
    )
}

async function openApiDocument(): Promise<OpenApiDocument> {
  const response = await call('/openapi.json')
  expect(response.status).toBe(200)
  return (await response.json()) as OpenApiDocument
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const document = await openApiDocument()
    expect(document.openapi).toBe('3.1.0')
    const result = new Validator(OPENAPI_31_SCHEMA as Schema, '2020-12', false).validate(document)
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
    for (const ref of refsOf(document)) {
      expect(ref.startsWith('#/'), ref).toBe(true)
      expect(resolvePointer(document, ref), ref).toBeDefined()
    }
  })

  it('describes the campaign routes with their security and examples', async () => {
    const { paths } = await openApiDocument()
    const campaign = paths['/v1/admin/sites/{siteKey}/campaigns/{campaignKey}']?.put
    const spend = paths['/v1/admin/sites/{siteKey}/campaigns/{campaignKey}/spend']?.put
    const report = paths['/v1/admin/sites/{siteKey}/reports/campaigns']?.get
    for (const operation of [campaign, spend, report]) {
      expect(operation?.security).toEqual([{ bearer: [] }])
      expect(operation?.responses['401']).toBeDefined()
      expect(operation?.responses['403']).toBeDefined()
      expect(operation?.responses['422']).toBeDefined()
    }
    expect(campaign?.requestBody?.content['application/json']?.schema.example).toMatchObject({
      name: 'Q4 Whitepaper',
    })
    expect(spend?.requestBody?.content['application/json']?.schema.example).toMatchObject({
      entries: [{ date: '2026-11-01', amount: 40000, currency: 'EUR' }, expect.anything()],
    })
    expect(report?.parameters?.map((p) => [p.in, p.name])).toEqual([
      ['path', 'siteKey'],
      ['query', 'from'],
      ['query', 'to'],
      ['query', 'attribution'],
      ['query', 'format'],
    ])
    const answer = report?.responses['200']?.content
    expect(answer?.['application/json']?.schema.example).toMatchObject({ attribution: 'first' })
    expect(answer?.['text/csv']).toBeDefined()
  })
})

describe('GET /docs', () => {
  it('renders an HTML API reference that reads /openapi.json', async () => {
    const response = await call('/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('/openapi.json')
    expect(html).toContain('<title>Lodestone API</title>')
  })
})
