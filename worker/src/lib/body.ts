import type { Context, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { fieldError, HttpProblem, validationProblem } from './problem'

/** Throws on a byte sequence that is not UTF-8, where `text()` would put U+FFFD in its place. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * The body as text, refused with `400 malformed_json` when it is not valid UTF-8 (which JSON text
 * must be, RFC 8259 §8.1): a replacement character would otherwise be stored where the sender
 * sent something else (docs/wire-contract.md#errors). The bytes are cached by the request, so a
 * later `c.req.json()` (a typed route's validator) reads them again.
 */
export async function readUtf8Text(c: Context): Promise<string> {
  // Read outside the `try`: a body past the route's limit throws its own error here.
  const bytes = await c.req.arrayBuffer()
  try {
    return UTF8.decode(bytes)
  } catch {
    throw new HttpProblem({
      code: 'malformed_json',
      detail: {
        en: 'The request body is not valid UTF-8.',
        de: 'Die Anfrage ist kein gültiges UTF-8.',
      },
    })
  }
}

/** Refuses a body that is not UTF-8 before any route reads it; mounted beside each body limit. */
export const utf8Body: MiddlewareHandler = async (c, next) => {
  if (c.req.raw.body) await readUtf8Text(c)
  await next()
}

/**
 * Reads a JSON body whatever its declared type: `sendBeacon` and simple CORS
 * requests send `text/plain` (docs/wire-contract.md#text-plain-bodies). Hono's JSON validator would
 * only parse JSON content types, so the body is read as text, parsed in a `try` and validated with
 * the shared schema.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type && type !== 'application/json' && type !== 'text/plain') {
    throw new HttpProblem({
      code: 'unsupported_media_type',
      detail: {
        en: 'Send the body as application/json or text/plain.',
        de: 'Senden Sie den Inhalt als application/json oder text/plain.',
      },
    })
  }
  return parseJsonBody(await readUtf8Text(c), schema)
}

/**
 * Parses and validates a JSON body already read as text: malformed JSON is a
 * 400, keys that would reach an object's prototype and schema failures a 422.
 */
export function parseJsonBody<Schema extends z.ZodType>(
  raw: string,
  schema: Schema,
): z.output<Schema> {
  let data: unknown
  let forbiddenKey: string | null = null
  try {
    // Keys that would reach an object's prototype are refused, not silently dropped.
    data = JSON.parse(raw, function (key, value: unknown) {
      if (key === '__proto__' || key === 'prototype' || key === 'constructor') forbiddenKey = key
      return value
    })
  } catch {
    throw new HttpProblem({
      code: 'malformed_json',
      detail: {
        en: 'The request body is not valid JSON.',
        de: 'Die Anfrage ist kein gültiges JSON.',
      },
    })
  }
  if (forbiddenKey) {
    throw new HttpProblem({
      code: 'validation_failed',
      detail: { en: 'The request body is not valid.', de: 'Die Anfrage ist nicht gültig.' },
      errors: [
        fieldError(
          forbiddenKey,
          'invalid',
          'is not an allowed key',
          'ist kein erlaubter Schlüssel',
        ),
      ],
    })
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw validationProblem(parsed.error)
  return parsed.data
}
