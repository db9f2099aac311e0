// The harness stops what it started when its start fails half-way: here the
// browser fails to launch after the collector (wrangler dev and its workerd) is up.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'
import { startHarness } from './harness'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** wrangler and workerd processes run from this checkout (other checkouts may run their own). */
function collectorProcesses() {
  return execFileSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(ROOT) && /wrangler|workerd/.test(line))
}

it('a harness whose browser fails to launch leaves no wrangler dev or workerd behind', async () => {
  expect(collectorProcesses()).toEqual([])
  await expect(startHarness({ executablePath: '/bin/false' })).rejects.toThrow(/launch/)
  expect(collectorProcesses()).toEqual([])
})
