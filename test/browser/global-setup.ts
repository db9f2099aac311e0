/**
 * Before any browser test file: find the browser once and build the widget once
 * if its sources changed. Without a browser the run stops here, with one line
 * that says how to get one, instead of failing or skipping file by file.
 */
import type { TestProject } from 'vitest/node'
import { ensureWidget } from '../../scripts/dev/collector.mjs'
import { chromiumVersion, findChromium } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium executable the harness launches (see ./chromium.ts). */
    chromium: string
  }
}

export default async function setup(project: TestProject) {
  let found, version
  try {
    found = await findChromium()
    version = chromiumVersion(found)
  } catch (error) {
    // One line and stop: the message is the instruction. Nothing has been started yet.
    // (A thrown error would come with vitest's "no test files found" and a stack.)
    console.error(`\n✖ browser tests: ${(error as Error).message}\n`)
    process.exit(1)
  }
  console.log(`browser tests: ${version} from ${found.source}: ${found.executablePath}`)
  project.provide('chromium', found.executablePath)
  const rebuilt = ensureWidget()
  if (rebuilt) console.log(`browser tests: built the widget (${rebuilt})`)
}
