#!/usr/bin/env node
// Recomputes the daily rollups (docs/scale.md#daily-rollups) from the leads by running
// scripts/rollups-rebuild.sql through `wrangler d1 execute DB`. Usage:
//
//   npm run rollups:rebuild                                  # the local D1 of `npm start`
//   npm run rollups:rebuild -- --persist-to=.bench/seed-large-100000-1000000
//   npm run rollups:rebuild -- --remote                      # the deployed database
import { join } from 'node:path'
import { d1Execute, ROOT, run } from './dev/collector.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=')
    return [key, value ?? 'true']
  }),
)
const file = join(ROOT, 'scripts', 'rollups-rebuild.sql')
const started = performance.now()
if (args.remote === 'true') {
  run('wrangler', ['d1', 'execute', 'DB', '--remote', '--yes', '--file', file], { inherit: true })
} else {
  const persistTo = args['persist-to'] ? join(ROOT, args['persist-to']) : undefined
  process.stdout.write(d1Execute(persistTo, ['--file', file]))
}
console.log(`• rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`)
