/**
 * The collector under test: `wrangler dev` on a local D1 kept in a directory of
 * our own (`--persist-to`), on free ports, as test/browser/harness.ts starts it.
 * Every child runs in its own process group, so stopping it ends workerd too and
 * nothing else.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')

/** Node 22 from devDependencies first: wrangler needs Node ≥ 22.12. Offline: no telemetry. */
export const ENV = {
  ...process.env,
  PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
}

/** Runs a command to completion; throws with its output unless it exits 0. */
export function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

/** Builds the widget when `dist/widget` lacks the loader or the form chunk (a clean clone). */
export function ensureWidget() {
  const dir = path.join(ROOT, 'dist', 'widget')
  const files = existsSync(dir) ? readdirSync(dir) : []
  if (files.includes('w.js') && files.some((file) => /^f-[\w-]+\.js$/.test(file))) return false
  run('npm', ['run', '--silent', 'build:widget'])
  return true
}

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

/** Polls `url` until it answers 2xx; fails early if `child` (wrangler dev) exits. */
export async function waitFor(url, child, log, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log()}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s:\n${log()}`)
}

/** Applies the migrations to a fresh local D1 in `persistTo`. */
export function migrate(persistTo) {
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
}

/** One SQL statement against the local D1 in `persistTo`; answers its rows. */
export function query(persistTo, sql) {
  const out = run('npx', [
    'wrangler',
    'd1',
    'execute',
    'DB',
    '--local',
    '--persist-to',
    persistTo,
    '--json',
    '--command',
    sql,
  ])
  return JSON.parse(out)[0].results
}

/**
 * Starts `wrangler dev` on the D1 in `persistTo` with fresh secrets and extra
 * `vars` (`--var NAME:value`). Answers the origin, an admin fetch and `stop()`.
 */
export async function startCollector(persistTo, vars = {}) {
  const rootToken = randomBytes(24).toString('base64url')
  const port = await freePort()
  const inspector = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const allVars = {
    LODESTONE_ROOT_TOKEN: rootToken,
    LODESTONE_SECRET: randomBytes(32).toString('base64url'),
    ...vars,
  }
  let output = ''
  const child = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspector),
      '--persist-to',
      persistTo,
      '--show-interactive-dev-session=false',
      // Below "info" the dev proxy stops posting a log line per request to Node: about a
      // quarter of the no-op's cost, and no part of the worker's.
      '--log-level',
      'warn',
      ...Object.entries(allVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  // Keep only the tail, should a long load print much.
  const keep = (chunk) => (output = (output + chunk).slice(-20_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // wrangler dev runs workerd as a child: end the process group this script started.
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      return
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))])
  }
  const onExit = () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
    }
  }
  process.on('exit', onExit)
  try {
    await waitFor(`${origin}/openapi.json`, child, () => output)
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

  return { origin, admin, stop, log: () => output }
}
