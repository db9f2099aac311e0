import { describe, expect, it } from 'vitest'
import { leadBody } from '../helpers'
import { send, setUpFuzzing, world, writes, written } from './harness'
import { headers } from './requests'

setUpFuzzing()

// Every fuzz file trusts the probe to see a write; this proves it sees one.
describe('the write probe of the fuzz files', () => {
  it('counts every row an accepted submission inserts and updates, so a write on refusal cannot go unseen', async () => {
    const before = await writes()
    const answer = await send({
      method: 'POST',
      path: '/v1/leads',
      headers: headers(
        world.site.origin,
        'application/json',
        '2001:db8:fffd::1',
        'Mozilla/5.0 fuzz',
      ),
      body: JSON.stringify(leadBody(world.site)),
    })
    expect(answer.status).toBe(201)
    expect(written(before, await writes())).toMatchObject({
      submissions: expect.any(Number),
      leads: expect.any(Number),
      consent_ledger: 1,
    })
  })
})
