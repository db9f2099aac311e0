/**
 * axe-core on a page of the app. Not through `page.addScriptTag`: that injects an inline script,
 * which the app's CSP refuses (rightly). Playwright's `evaluate` runs through the DevTools
 * protocol, which a page's CSP does not govern, so the scan runs under the CSP the app really has.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeViolation {
  id: string
  impact: string | null
  nodes: unknown[]
}

/** The violations axe finds on the page (or inside `selector`), with their nodes' selectors. */
export async function axeViolations(page: Page, selector?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window)
  if (!loaded) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (within) => {
    type Result = {
      violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[]
    }
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<Result> } }).axe
    const result = await axe.run(within ? document.querySelector(within) : document)
    return result.violations.map(({ id, impact, nodes }) => ({
      id,
      impact,
      nodes: nodes.map((node) => node.target),
    }))
  }, selector ?? null)
}
