// The size budgets (widget/README.md#size-budget, docs/app.md#size) as part of `npm test`, so CI
// fails past them: the built loader ≤ 1.5 KB gzip, loader plus form chunk ≤ 10 KB gzip, the app's
// first load ≤ 60 KB gzip. The figures are printed as well.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'
import { ensureWidget } from '../../scripts/dev/collector.mjs'

it('the built widget and app stay within their size budgets', () => {
  ensureWidget()
  const script = path.resolve(import.meta.dirname, '../../scripts/size-check.mjs')
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8' })
  console.log(result.stdout + result.stderr)
  expect(result.status).toBe(0)
})
