/**
 * The app's one way to the collector's API: same origin, the session cookie (HttpOnly, so this
 * code never sees it), JSON in and out. A refusal arrives as problem+json (docs/wire-contract.md)
 * and is thrown as an `ApiError` that screens show in the reader's language where they can.
 */

export interface Problem {
  type?: string
  title?: string
  status: number
  detail?: string
  code?: string
  errors?: { path: string; message: string; reason?: string }[]
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`)
  }
  get status() {
    return this.problem.status
  }
}

/** Query values: undefined and empty strings are left out, so callers can pass filters as they are. */
export type Query = Record<string, string | number | boolean | undefined | null>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

/** Listeners told when the API answers 401: the session ended (signed out elsewhere, expired). */
const signedOut = new Set<() => void>()
export function onSignedOut(listener: () => void): () => void {
  signedOut.add(listener)
  return () => signedOut.delete(listener)
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  query?: Query
  body?: unknown
  /** `text` answers the body as a string (CSV); default JSON (`null` for 204). */
  as?: 'json' | 'text'
  signal?: AbortSignal
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
  })
  if (!response.ok) {
    let problem: Problem = { status: response.status }
    try {
      problem = { ...(await response.json()), status: response.status }
    } catch {
      // not problem+json (a proxy's page): the status says enough
    }
    if (response.status === 401 && !path.startsWith('/v1/auth/')) signedOut.forEach((fn) => fn())
    throw new ApiError(problem)
  }
  if (response.status === 204) return null as T
  if (options.as === 'text') return (await response.text()) as T
  return (await response.json()) as T
}

/** Starts a download of what the API answers at `path` (CSV, JSON export) with the cookie. */
export async function download(path: string, query: Query | undefined, filename: string) {
  const response = await fetch(withQuery(path, query), { credentials: 'same-origin' })
  if (!response.ok) throw new ApiError({ status: response.status })
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
