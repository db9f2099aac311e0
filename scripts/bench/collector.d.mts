import type { ChildProcess } from 'node:child_process'

/** Types of the helpers the browser test harness shares with the bench (collector.mjs). */
export function freePort(): Promise<number>
export function waitFor(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs?: number,
): Promise<void>
