import { describe, expect, it } from 'vitest'
import { BASE, call } from './helpers'

describe('GET /', () => {
  it('says what this server is and where the docs, the app and the demo are', async () => {
    const response = await call('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<title>Lodestone collector</title>')
    expect(html).toContain('href="/docs"')
    expect(html).toContain('href="/openapi.json"')
    // The embed snippet names this collector, so it can be copied as it is.
    expect(html).toContain(`src="${BASE}/w.js"`)
    // The app is one link away; the demo runs only locally, and the page says so.
    expect(html).toContain('href="/app/"')
    expect(html).toContain('npm start')
    expect(html).not.toContain('<script')
  })

  it('allows its one style element and nothing else', async () => {
    const response = await call('/')
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/)
    const html = await response.text()
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style))
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
    expect(csp).toContain(`'sha256-${hash}'`)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('still answers other unknown paths with a JSON problem', async () => {
    const response = await call('/nothing-here')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
  })
})
