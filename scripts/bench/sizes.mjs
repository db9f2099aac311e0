/**
 * Item 6 of issue 7: the widget's sizes, as scripts/size-check.mjs measures
 * them (gzip 9, brotli 11), beside the sizes peers publish for their scripts.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ENV, ROOT } from '../dev/collector.mjs'

/**
 * Published figures, compressed as the source states. Each source is named as
 * far as it could be checked; "as stated in issue 7" means the figure comes from
 * the issue and was not checked against the vendor's own page.
 */
export const PEERS = [
  {
    name: 'Plausible `script.js`',
    gzip: '2.5 KB',
    source:
      "Plausible's own site, article “How much JavaScript does Google Analytics add to your site?” (`/google-analytics-script-size`; source `_articles/analytics-script-size.md` in the `plausible/website` repository): “one script, 2.5KB”, gzipped",
  },
  {
    name: 'Umami `script.js`',
    gzip: '~2 KB',
    source: 'as stated in issue 7 (Umami calls its tracker lightweight; not checked here)',
  },
  {
    name: 'HubSpot forms embed',
    gzip: '~198 KB compressed',
    source: 'as stated in issue 7 (not checked here)',
  },
]

const ROW = /^(w\.js|f-[\w-]+\.js|loader \+ chunk)\s+(\d+)\s+(\d+)\s+(\d+)/

/** Runs size-check.mjs and answers its rows; `overBudget` when it exited 1. */
export function measureWidget() {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'size-check.mjs')], {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
  })
  const rows = result.stdout
    .split('\n')
    .map((line) => line.match(ROW))
    .filter(Boolean)
    .map(([, file, raw, gzip, brotli]) => ({
      file,
      raw: Number(raw),
      gzip: Number(gzip),
      brotli: Number(brotli),
    }))
  if (rows.length !== 3) {
    throw new Error(`size-check.mjs printed no sizes:\n${result.stdout}\n${result.stderr}`)
  }
  return { rows, overBudget: result.status !== 0 }
}
