/**
 * The one dev harness: how `npm start`, the browser tests, the bench and
 * seed-large build the widget and run the collector (`wrangler dev` on a local
 * D1). Types in collector.d.mts, so the browser harness (TypeScript under
 * vitest) and the scripts (plain ESM under Node 22) share one implementation.
 *
 * Every `wrangler dev` runs in a process group of its own (wrangler runs
 * workerd as its child), and every group this process started is ended when
 * it stops, when it exits, or on SIGINT/SIGTERM/SIGHUP: nothing outlives the
 * script or test that started it, also when its start fails half-way.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')
const BIN = path.join(ROOT, 'node_modules', '.bin')
const WIDGET_DIST = path.join(ROOT, 'dist', 'widget')
/** What the widget build reads: when any of it is newer than `dist/widget`, it is rebuilt. */
const WIDGET_SOURCES = ['widget', 'app', 'shared', 'vite.config.ts', 'package-lock.json']

/**
 * The environment of every child: Node 22 from devDependencies first (wrangler
 * needs Node ≥ 22.12, the machine may have 20), no telemetry, no fetch of
 * Cloudflare's `Request.cf` sample (offline), no colour codes in captured logs.
 * NODE_ENV is dropped so that `wrangler dev` behaves the same under vitest (which
 * sets `test`) as under `npm start`; the widget build pins production itself.
 */
export const ENV = (() => {
  const env = {
    ...process.env,
    PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    NO_COLOR: '1',
  }
  delete env.NODE_ENV
  return env
})()

/** Runs a command to completion in the project root; throws with its output unless it exits 0. */
export function run(command, args, { inherit = false } = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: inherit ? 'inherit' : 'pipe',
  })
  if (result.error) throw result.error
  if (result.status !== 0) {
    const output = inherit ? '' : `:\n${result.stdout}\n${result.stderr}`
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})${output}`)
  }
  return result.stdout ?? ''
}

function newestMtime(file) {
  if (!existsSync(file)) return 0
  const stat = statSync(file)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(file)) {
    newest = Math.max(newest, newestMtime(path.join(file, entry)))
  }
  return newest
}

/** Why `dist/widget` (the widget and the app) must be rebuilt, or `null` when it is newer than every source. */
export function widgetStaleReason() {
  const files = existsSync(WIDGET_DIST) ? readdirSync(WIDGET_DIST) : []
  const chunks = files.filter((file) => /^f-[\w-]+\.js$/.test(file))
  if (!files.includes('w.js') || chunks.length === 0) return 'dist/widget has no build'
  if (!existsSync(path.join(WIDGET_DIST, 'app', 'index.html'))) return 'the app has no build'
  const built = Math.min(
    ...['w.js', ...chunks, 'app/index.html'].map(
      (file) => statSync(path.join(WIDGET_DIST, file)).mtimeMs,
    ),
  )
  const changed = WIDGET_SOURCES.find((source) => newestMtime(path.join(ROOT, source)) > built)
  return changed ? `${changed} changed since the last build` : null
}

/** Builds the widget and the app (`npm run build`) when `dist/widget` is missing or stale; answers why, or `null`. */
export function ensureWidget() {
  const reason = widgetStaleReason()
  if (reason) run('npm', ['run', '--silent', 'build'])
  return reason
}

/** A TCP port free on 127.0.0.1 at the moment of asking. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers 2xx; fails early when `child` (wrangler dev) exits. */
export async function waitFor(url, child, log, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `wrangler dev exited early (${child.exitCode ?? child.signalCode}):\n${log()}`,
      )
    }
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s:\n${log()}`)
}

const persistArgs = (persistTo) => (persistTo ? ['--persist-to', persistTo] : [])

/**
 * Applies the migrations to the local D1 in `persistTo` (wrangler's `.wrangler/state` when absent),
 * to each store (docs/scale.md#stores): `DB` and `DB_LARGE`.
 */
export function migrate(persistTo, { inherit = false } = {}) {
  for (const binding of ['DB', 'DB_LARGE']) {
    const before = d1Files(persistTo)
    run('wrangler', ['d1', 'migrations', 'apply', binding, '--local', ...persistArgs(persistTo)], {
      inherit,
    })
    // Which SQLite file is which store: miniflare names them by a hash, so the bulk seeders
    // (scripts/bench/bulk.mjs) learn `DB`'s from the file its migrations made.
    // A database made before there were two stores is `DB`'s.
    const made = d1Files(persistTo).filter((file) => !before.includes(file))
    const own =
      made.length === 1 ? made[0] : binding === 'DB' && before.length === 1 ? before[0] : null
    if (persistTo && own) writeFileSync(storeMarker(persistTo, binding), own)
  }
}

/** The local D1 SQLite files in `persistTo`, by name. */
export function d1Files(persistTo) {
  if (!persistTo) return []
  try {
    return readdirSync(path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')).filter(
      (file) => /^[0-9a-f]{64}\.sqlite$/.test(file),
    )
  } catch {
    return []
  }
}

/** Where `migrate` notes the SQLite file of `binding`'s store in `persistTo`. */
export const storeMarker = (persistTo, binding) => path.join(persistTo, `${binding}.store`)

/** Runs `wrangler d1 execute DB --local` on the D1 in `persistTo` with `args`; answers its stdout. */
export function d1Execute(persistTo, args) {
  return run('wrangler', ['d1', 'execute', 'DB', '--local', ...persistArgs(persistTo), ...args])
}

/** One SQL statement against the local D1 in `persistTo`; answers its rows. */
export function query(persistTo, sql) {
  return JSON.parse(d1Execute(persistTo, ['--json', '--command', sql]))[0].results
}

// ---- process groups ----------------------------------------------------------

/** Process group ids of the `wrangler dev`s this process started and has not seen end. */
const groups = new Set()
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // already gone
  }
}

const groupAlive = (pgid) => signalGroup(pgid, 0)

/** Ends every group still running, synchronously: for `exit` and signals. */
function endAllGroups() {
  for (const pgid of groups) signalGroup(pgid, 'SIGTERM')
  groups.clear()
}

function onSignal(signal) {
  endAllGroups()
  for (const name of SIGNALS) process.removeListener(name, onSignal)
  // With our listener gone the signal does what it would have done without us
  // (or what the host's own listener does, under vitest).
  process.kill(process.pid, signal)
}

let watching = false
function watchProcess() {
  if (watching) return
  watching = true
  process.on('exit', endAllGroups)
  for (const name of SIGNALS) process.on(name, onSignal)
}

/** Ends the process group `pgid`: SIGTERM, then SIGKILL if anything in it is left after `graceMs`. */
export async function endGroup(pgid, graceMs = 5_000) {
  groups.delete(pgid)
  if (!signalGroup(pgid, 'SIGTERM')) return
  const deadline = Date.now() + graceMs
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  if (signalGroup(pgid, 'SIGKILL')) {
    while (groupAlive(pgid) && Date.now() < deadline + 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/**
 * Spawns `command` in a process group of its own, remembered until it ends,
 * so that `endGroup(child.pid)` or this process's exit ends it and its children.
 */
export function spawnGroup(command, args, options) {
  watchProcess()
  const child = spawn(command, args, { cwd: ROOT, env: ENV, ...options, detached: true })
  if (child.pid !== undefined) {
    groups.add(child.pid)
    child.once('exit', () => {
      // The leader is gone; its group may not be (workerd): endGroup still reaches it.
      if (!groupAlive(child.pid)) groups.delete(child.pid)
    })
  }
  return child
}

// ---- the collector -----------------------------------------------------------

/**
 * Starts `wrangler dev` and waits until it answers. See collector.d.mts for the
 * options. If it does not come up, everything it started is ended before the
 * error is thrown.
 */
export async function startCollector(options = {}) {
  const {
    persistTo,
    vars = {},
    rootToken: givenToken,
    host = '127.0.0.1',
    logLevel,
    inherit = false,
    timeoutMs,
  } = options
  const port = options.port ?? (await freePort())
  const inspectorPort = options.inspectorPort ?? (await freePort())
  const origin = `http://${host}:${port}`
  // A given root token is the caller's own (`.dev.vars`, which wrangler reads);
  // otherwise fresh secrets for this run only.
  const rootToken = givenToken ?? randomBytes(24).toString('base64url')
  const allVars = givenToken
    ? vars
    : {
        LODESTONE_ROOT_TOKEN: rootToken,
        LODESTONE_SECRET: randomBytes(32).toString('base64url'),
        ...vars,
      }
  const args = [
    'dev',
    '--ip',
    host,
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    ...persistArgs(persistTo),
    '--show-interactive-dev-session=false',
    ...(logLevel ? ['--log-level', logLevel] : []),
    ...Object.entries(allVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ]
  let output = ''
  const child = spawnGroup(path.join(BIN, 'wrangler'), args, {
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  })
  // Keep only the tail, should a long load print much.
  const keep = (chunk) => (output = (output + chunk).slice(-20_000))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const log = () => output
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal))
    child.once('error', (error) => {
      keep(String(error))
      resolve(error)
    })
  })
  const stop = () => endGroup(child.pid)

  try {
    await waitFor(`${origin}/openapi.json`, child, log, timeoutMs)
  } catch (error) {
    await stop()
    throw error
  }

  /** An admin API call with the root token; throws unless 2xx. */
  const admin = async (pathname, init = {}) => {
    const response = await fetch(origin + pathname, {
      ...init,
      headers: {
        authorization: `Bearer ${rootToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    })
    const text = await response.text()
    if (!response.ok) {
      throw new Error(`${init.method ?? 'GET'} ${pathname}: ${response.status} ${text}`)
    }
    return text ? JSON.parse(text) : undefined
  }

  return { origin, port, rootToken, admin, stop, log, exited }
}
