import { Validator, type Schema } from '@cfworker/json-schema'
import OPENAPI_31_SCHEMA from '@seriousme/openapi-schema-validator/schemas/v3.1/schema.json'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PROBLEM_CODES } from '../../shared/problem'
import { createApp } from '../../worker/src/app'
import { API_REFERENCE_SCRIPT } from '../../worker/src/routes/pages'
import { schemasIn } from '../unit/zod-schemas'
import { call } from './helpers'

interface SchemaObject {
  example?: unknown
  examples?: unknown
  $ref?: string
  [keyword: string]: unknown
}
interface MediaType {
  schema: SchemaObject
  example?: unknown
  examples?: Record<string, unknown>
}
interface Parameter {
  name: string
  in: string
  example?: unknown
  examples?: Record<string, unknown>
  schema?: SchemaObject
  $ref?: string
}
interface Operation {
  summary?: string
  security?: unknown[]
  parameters?: Parameter[]
  requestBody?: { content: Record<string, MediaType> }
  responses: Record<string, { content?: Record<string, MediaType>; $ref?: string }>
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

/** A `$ref` followed to what it names (references to references too). */
function dereference<T extends { $ref?: string }>(
  document: unknown,
  node: T | undefined,
): T | undefined {
  const seen = new Set<string>()
  while (node?.$ref && !seen.has(node.$ref)) {
    seen.add(node.$ref)
    node = resolvePointer(document, node.$ref) as T | undefined
  }
  return node
}

/** An example on the media type or parameter itself, or on its schema (or the schema it refers to). */
function hasExample(document: unknown, holder: MediaType | Parameter): boolean {
  if (holder.example !== undefined || Object.keys(holder.examples ?? {}).length > 0) return true
  const schema = dereference(document, holder.schema)
  return (
    schema?.example !== undefined || (Array.isArray(schema?.examples) && schema.examples.length > 0)
  )
}

/**
 * Operations whose 2xx answer is no JSON document, so they show no JSON example:
 * the download link answers a 302 redirect to the asset. (The HTML-only page
 * `GET /v1/consent/{token}/withdraw` and `/docs` are not operations of the document.)
 */
const NOT_JSON = ['GET /v1/downloads/{token}']

/** Request media types whose body is JSON: `text/plain` is JSON sent by `sendBeacon`. */
const JSON_BODIES = ['application/json', 'text/plain']

/** Every schema object below `schema` that carries an `example`, with its JSON pointer. */
function schemasWithExample(
  schema: unknown,
  pointer: string,
  found: [string, SchemaObject][] = [],
) {
  if (Array.isArray(schema))
    schema.forEach((item, index) => schemasWithExample(item, `${pointer}/${index}`, found))
  else if (schema && typeof schema === 'object') {
    const node = schema as SchemaObject
    if (node.example !== undefined) found.push([pointer, node])
    for (const [key, inner] of Object.entries(node)) {
      if (
        key !== 'example' &&
        key !== 'examples' &&
        key !== 'default' &&
        key !== 'enum' &&
        key !== 'const'
      ) {
        schemasWithExample(inner, `${pointer}/${key}`, found)
      }
    }
  }
  return found
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

  it('shows every problem code, and the Problem schema in each problem answer', async () => {
    const document = await openApiDocument()
    const problem = document.components?.schemas?.Problem as {
      properties: { code: { enum: string[] } }
    }
    expect(problem.properties.code.enum).toEqual(PROBLEM_CODES)
    expect(problem.properties.code.enum).toContain('start_token_invalid')
    const answer = dereference(document, document.paths['/v1/leads']?.post?.responses['422'])
    expect(answer?.content?.['application/problem+json']?.schema.$ref).toBe(
      '#/components/schemas/Problem',
    )
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
      ['query', 'lang'],
    ])
    const answer = report?.responses['200']?.content
    expect(answer?.['application/json']?.schema.example).toMatchObject({ attribution: 'first' })
    expect(answer?.['text/csv']).toBeDefined()
  })
})

describe('examples in GET /openapi.json', () => {
  it('show every request body, path parameter and 2xx JSON answer of every operation', async () => {
    const document = await openApiDocument()
    const missing: string[] = []
    const exempt: string[] = []
    let operations = 0
    for (const [path, byMethod] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(byMethod)) {
        const name = `${method.toUpperCase()} ${path}`
        operations += 1
        for (const parameter of (operation.parameters ?? []).map((p) =>
          dereference(document, p)!,
        )) {
          if (parameter.in === 'path' && !hasExample(document, parameter)) {
            missing.push(`${name}: path parameter ${parameter.name}`)
          }
        }
        for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
          if (JSON_BODIES.includes(type) && !hasExample(document, media))
            missing.push(`${name}: ${type} body`)
        }
        const answers = Object.entries(operation.responses).filter(([status]) =>
          /^2\d\d$/.test(status),
        )
        const json = answers.filter(([, answer]) => answer.content?.['application/json'])
        if (NOT_JSON.includes(name)) {
          exempt.push(name)
          expect(json, `${name} is listed as answering no JSON`).toEqual([])
          continue
        }
        expect(json.length, `${name} documents no 2xx JSON answer`).toBeGreaterThan(0)
        for (const [status, answer] of answers) {
          for (const [type, media] of Object.entries(answer.content ?? {})) {
            if (type !== 'text/html' && !hasExample(document, media))
              missing.push(`${name}: ${status} ${type}`)
          }
        }
      }
    }
    const routes = createApp().openAPIRegistry.definitions.filter((d) => d.type === 'route')
    expect(operations).toBe(routes.length)
    expect(missing).toEqual([])
    expect(exempt).toEqual(NOT_JSON)
  })

  it('are accepted by the zod schemas of the routes', () => {
    let checked = 0
    const check = (where: string, schema: unknown) => {
      if (!(schema instanceof z.ZodType)) return
      for (const inner of schemasIn(schema)) {
        const example = inner.meta()?.example
        if (example === undefined) continue
        checked += 1
        const result = inner.safeParse(example)
        expect(result.error?.issues ?? [], `${where}: ${JSON.stringify(example)}`).toEqual([])
      }
    }
    type Content = Record<string, { schema?: unknown; example?: unknown }> | undefined
    const checkContent = (where: string, content: Content) => {
      for (const [type, media] of Object.entries(content ?? {})) {
        check(`${where} ${type}`, media.schema)
        if (media.example !== undefined && media.schema instanceof z.ZodType) {
          checked += 1
          expect(
            media.schema.safeParse(media.example).error?.issues ?? [],
            `${where} ${type}`,
          ).toEqual([])
        }
      }
    }
    for (const definition of createApp().openAPIRegistry.definitions) {
      if (definition.type !== 'route') continue
      const { method, path, request, responses } = definition.route
      const name = `${method.toUpperCase()} ${path}`
      check(`${name} params`, request?.params)
      check(`${name} query`, request?.query)
      checkContent(`${name} body`, request?.body?.content as Content)
      for (const [status, answer] of Object.entries(responses)) {
        checkContent(
          `${name} ${status}`,
          ('content' in answer ? answer.content : undefined) as Content,
        )
      }
    }
    expect(checked).toBeGreaterThan(50)
  })

  it('are accepted by the JSON Schemas the document shows them with', async () => {
    const document = await openApiDocument()
    const found: [string, SchemaObject][] = []
    for (const [path, byMethod] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(byMethod)) {
        const at = `#/paths/${path.replaceAll('/', '~1')}/${method}`
        operation.parameters?.forEach((parameter, index) =>
          schemasWithExample(parameter.schema, `${at}/parameters/${index}/schema`, found),
        )
        const bodies = Object.entries(operation.requestBody?.content ?? {}).map(
          ([type, media]) =>
            [`${at}/requestBody/content/${type.replaceAll('/', '~1')}`, media] as const,
        )
        const answers = Object.entries(operation.responses).flatMap(([status, answer]) =>
          Object.entries(answer.content ?? {}).map(
            ([type, media]) =>
              [`${at}/responses/${status}/content/${type.replaceAll('/', '~1')}`, media] as const,
          ),
        )
        for (const [pointer, media] of [...bodies, ...answers]) {
          schemasWithExample(media.schema, `${pointer}/schema`, found)
          if (media.example !== undefined && media.schema) {
            found.push([pointer, { ...media.schema, example: media.example }])
          }
        }
      }
    }
    expect(found.length).toBeGreaterThan(50)
    for (const [pointer, schema] of found) {
      // The components ride along, so `#/components/...` references resolve.
      const { example, ...rest } = schema
      const validator = new Validator(
        { ...rest, components: document.components } as Schema,
        '2020-12',
        false,
      )
      const result = validator.validate(example)
      expect(result.errors, pointer).toEqual([])
    }
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

  it("loads only the collector's own pinned renderer, under a CSP that allows nothing else", async () => {
    const response = await call('/docs')
    const html = await response.text()
    // Every script is the collector's own static asset (vite.config.ts copies it from the npm package).
    const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1])
    expect(sources).toEqual([API_REFERENCE_SCRIPT])
    expect(html).not.toMatch(/https?:\/\//)
    // No inline script: the one other script element is data (JSON), which a browser never runs.
    for (const [tag] of html.matchAll(/<script\b[^>]*>/g))
      expect(tag.includes(' src=') || tag.includes('type="application/json"'), tag).toBe(true)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/)
    expect(csp.match(/script-src [^;]*/)![0]).toBe("script-src 'self'")
  })
})
