#!/usr/bin/env node
/**
 * The widget's size budget (widget/README.md#size-budget, issue 5): prints raw, gzip and brotli
 * sizes of the built loader and form chunk and exits 1 past the budget, measured minified and
 * gzipped:
 *
 * - loader `w.js` ≤ 1.5 KB (1536 bytes);
 * - loader plus form chunk (Preact included) ≤ 10 KB (10240 bytes).
 *
 * The two files travel separately, so "loader plus chunk" is the sum of their own
 * compressed sizes: what a visitor downloads. Gzip at level 9 and brotli at quality 11,
 * as a CDN serves static files. Run after `npm run build:widget`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const DIR = path.join(import.meta.dirname, '..', 'dist', 'widget')
const BUDGET = { loader: 1536, total: 10240 }

const measure = (file) => {
  const bytes = readFileSync(path.join(DIR, file))
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  }
}

let files
try {
  files = readdirSync(DIR)
} catch {
  console.error(`size-check: ${DIR} is missing; run npm run build:widget first`)
  process.exit(1)
}
const chunkFile = files.find((file) => /^f-[\w-]+\.js$/.test(file))
if (!files.includes('w.js') || !chunkFile) {
  console.error('size-check: w.js or the form chunk is missing; run npm run build:widget first')
  process.exit(1)
}

const loader = measure('w.js')
const chunk = measure(chunkFile)
const total = {
  file: 'loader + chunk',
  raw: loader.raw + chunk.raw,
  gzip: loader.gzip + chunk.gzip,
  brotli: loader.brotli + chunk.brotli,
}

const pad = (value, width) => String(value).padStart(width)
console.log(
  `${'file'.padEnd(18)}${pad('raw', 8)}${pad('gzip', 8)}${pad('brotli', 8)}  budget (gzip)`,
)
for (const [row, budget] of [
  [loader, BUDGET.loader],
  [chunk, null],
  [total, BUDGET.total],
]) {
  const verdict =
    budget == null
      ? ''
      : `${row.gzip <= budget ? 'ok' : 'OVER'} ≤ ${budget} (${budget - row.gzip} left)`
  console.log(
    `${row.file.padEnd(18)}${pad(row.raw, 8)}${pad(row.gzip, 8)}${pad(row.brotli, 8)}  ${verdict}`,
  )
}

const over = loader.gzip > BUDGET.loader || total.gzip > BUDGET.total
if (over) {
  console.error('size-check: over budget')
  process.exit(1)
}
console.log('size-check: within budget')
