import { HttpProblem } from '../lib/problem'
import { createRouter } from '../lib/router'

/**
 * The benchmark's baseline (`npm run bench`): the same worker, middleware and
 * body handling as `POST /v1/events`, but no storage. It exists only where
 * `BENCH_NOOP` is "on", so production answers 404 as for any unknown path, and
 * it stays out of the OpenAPI document.
 */
export const noop = createRouter()

noop.post('/v1/noop', async (c) => {
  if (c.get('config').BENCH_NOOP !== 'on') {
    throw new HttpProblem({ code: 'not_found', detail: 'There is nothing at this path.' })
  }
  // Read like a beacon body (docs/wire-contract.md#text-plain-bodies), then answer as the events
  // route does.
  await c.req.text()
  return c.json({ accepted: 0, duplicates: 0 }, 202)
})
