import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../worker/src/app'
import { BASE, rowCounts } from './helpers'

/**
 * The benchmark's baseline, switched on as `npm run bench` does (`BENCH_NOOP=on`): the worker
 * under test runs with the default "off", so this builds the same app with that one var changed.
 */
describe('POST /v1/noop with BENCH_NOOP on', () => {
  const benchEnv = { ...env, BENCH_NOOP: 'on' } as unknown as Env

  it('reads a beacon body, answers as the events route does, and stores nothing', async () => {
    const before = await rowCounts()
    const response = await createApp().fetch(
      new Request(`${BASE}/v1/noop`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ siteKey: 'bench', events: [{ type: 'page_view' }] }),
      }),
      benchEnv,
      createExecutionContext(),
    )
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ accepted: 0, duplicates: 0 })
    expect(await rowCounts()).toEqual(before)
  })
})
