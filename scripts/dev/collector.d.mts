import type { ChildProcess, SpawnOptions } from 'node:child_process'

/** Types of the one dev harness (collector.mjs): widget build, local D1, `wrangler dev`. */

/** The project root. */
export const ROOT: string

/** The environment of every child: Node 22 from devDependencies first, no telemetry, no NODE_ENV. */
export const ENV: NodeJS.ProcessEnv

/** Runs a command to completion in the project root; throws unless it exits 0. Answers its stdout (`''` when inherited). */
export function run(command: string, args: string[], options?: { inherit?: boolean }): string

/** Why `dist/widget` must be rebuilt (missing, or a widget/shared/vite source is newer), or `null`. */
export function widgetStaleReason(): string | null

/** Builds the widget when missing or stale; answers why it built, or `null` when it was fresh. */
export function ensureWidget(): string | null

/** A TCP port free on 127.0.0.1 at the moment of asking. */
export function freePort(): Promise<number>

/** Polls `url` until it answers 2xx; fails early when `child` exits. */
export function waitFor(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs?: number,
): Promise<void>

/** Applies the migrations to the local D1 in `persistTo` (wrangler's `.wrangler/state` when absent). */
export function migrate(persistTo?: string, options?: { inherit?: boolean }): void

/** `wrangler d1 execute DB --local` on the D1 in `persistTo` with `args`; answers its stdout. */
export function d1Execute(persistTo: string | undefined, args: string[]): string

/** One SQL statement against the local D1 in `persistTo`; answers its rows. */
export function query<Row = Record<string, unknown>>(
  persistTo: string | undefined,
  sql: string,
): Row[]

/**
 * Spawns `command` in a process group of its own that is ended when this
 * process exits or gets SIGINT/SIGTERM/SIGHUP, or by `endGroup(child.pid)`.
 */
export function spawnGroup(command: string, args: string[], options?: SpawnOptions): ChildProcess

/** Ends a process group: SIGTERM, then SIGKILL after `graceMs` (5 s) if anything in it is left. */
export function endGroup(pgid: number | undefined, graceMs?: number): Promise<void>

export type CollectorOptions = {
  /** Directory of the local D1 (`--persist-to`); wrangler's `.wrangler/state` when absent. */
  persistTo?: string
  /** Extra `--var NAME:value` (RATE_LIMITS, the Turnstile keys, ...). */
  vars?: Record<string, string>
  /**
   * The root token the collector already has (from `.dev.vars`, which wrangler
   * reads). Without it, a fresh root token and signing secret are passed as vars.
   */
  rootToken?: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default: a free port. */
  port?: number
  /** Default: a free port. */
  inspectorPort?: number
  /** `wrangler dev --log-level`; below `info` the dev proxy stops logging each request. */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none'
  /** Print wrangler's output to this terminal instead of keeping its tail for errors. */
  inherit?: boolean
  /** How long to wait for `/openapi.json` (default 90 s). */
  timeoutMs?: number
}

export type Collector = {
  /** e.g. `http://127.0.0.1:40123`. */
  origin: string
  port: number
  rootToken: string
  /** An admin API call with the root token; throws unless 2xx. */
  admin: <T = unknown>(pathname: string, init?: RequestInit) => Promise<T>
  /** Ends wrangler dev and workerd (its process group). */
  stop: () => Promise<void>
  /** The tail of wrangler's output (empty when inherited). */
  log: () => string
  /** Settles when wrangler dev ends, with its exit code or signal. */
  exited: Promise<unknown>
}

/** Starts `wrangler dev` and waits until it answers; ends it again if it does not. */
export function startCollector(options?: CollectorOptions): Promise<Collector>
