#!/usr/bin/env node
/**
 * The widget's size budget (widget/README.md#size-budget, issue 5): prints raw, gzip and brotli
 * sizes of the built loader and form chunk and exits 1 past the budget, measured minified and
 * gzipped:
 *
 * - loader `w.js` ≤ 1.5 KB (1536 bytes);
 * - loader plus form chunk (Preact included) ≤ 10 KB (10240 bytes);
 * - the app's first load (docs/app.md#size): `/app/`'s HTML, the scripts and style sheets it
 *   names and every module those import statically, ≤ 60 KB (61440 bytes). Modules loaded later
 *   with `import()` (the chart library, the CSV parser) are listed, not counted.
 *
 * The two files travel separately, so "loader plus chunk" is the sum of their own
 * compressed sizes: what a visitor downloads. Gzip at level 9 and brotli at quality 11,
 * as a CDN serves static files. Run after `npm run build`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const DIR = path.join(import.meta.dirname, '..', 'dist', 'widget')
const BUDGET = { loader: 1536, total: 10240, app: 61440 }

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
  console.error(`size-check: ${DIR} is missing; run npm run build first`)
  process.exit(1)
}
const chunkFile = files.find((file) => /^f-[\w-]+\.js$/.test(file))
if (!files.includes('w.js') || !chunkFile) {
  console.error('size-check: w.js or the form chunk is missing; run npm run build first')
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

/** The app's first load: index.html, what it names, and their static imports, transitively. */
function appFirstLoad() {
  const appDir = path.join(DIR, 'app')
  const html = readFileSync(path.join(appDir, 'index.html'), 'utf8')
  const named = [...html.matchAll(/(?:src|href)="\/app\/([^"]+\.(?:js|css))"/g)].map((m) => m[1])
  const seen = new Set()
  const queue = [...named]
  while (queue.length) {
    const file = queue.shift()
    if (seen.has(file)) continue
    seen.add(file)
    if (!file.endsWith('.js')) continue
    const code = readFileSync(path.join(appDir, file), 'utf8')
    // Static imports only (`import … from"./x.js"`, `import"./x.js"`), not `import("./x.js")`.
    for (const [, spec] of code.matchAll(
      /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([^"']+)["']/g,
    ))
      queue.push(path.posix.join(path.posix.dirname(file), spec))
  }
  const all = readdirSync(path.join(appDir, 'assets')).map((file) => `assets/${file}`)
  return {
    first: [...seen].map((file) => measure(path.join('app', file))),
    later: all.filter((file) => !seen.has(file)).map((file) => measure(path.join('app', file))),
    html: measure(path.join('app', 'index.html')),
  }
}

let app
try {
  app = appFirstLoad()
} catch {
  console.error('size-check: the app is missing; run npm run build first')
  process.exit(1)
}
const appTotal = [app.html, ...app.first].reduce(
  (sum, row) => ({
    file: 'app first load',
    raw: sum.raw + row.raw,
    gzip: sum.gzip + row.gzip,
    brotli: sum.brotli + row.brotli,
  }),
  { file: 'app first load', raw: 0, gzip: 0, brotli: 0 },
)
console.log('')
for (const row of [app.html, ...app.first])
  console.log(`${row.file.padEnd(40)}${pad(row.raw, 8)}${pad(row.gzip, 8)}${pad(row.brotli, 8)}`)
console.log(
  `${appTotal.file.padEnd(40)}${pad(appTotal.raw, 8)}${pad(appTotal.gzip, 8)}${pad(appTotal.brotli, 8)}  ${appTotal.gzip <= BUDGET.app ? 'ok' : 'OVER'} ≤ ${BUDGET.app} (${BUDGET.app - appTotal.gzip} left)`,
)
for (const row of app.later)
  console.log(
    `${`${row.file} (later)`.padEnd(40)}${pad(row.raw, 8)}${pad(row.gzip, 8)}${pad(row.brotli, 8)}  not in the first load`,
  )

const over = loader.gzip > BUDGET.loader || total.gzip > BUDGET.total || appTotal.gzip > BUDGET.app
if (over) {
  console.error('size-check: over budget')
  process.exit(1)
}
console.log('size-check: within budget')
