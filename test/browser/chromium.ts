/**
 * Which Chromium the browser tests drive. In this order:
 *
 * 1. `LODESTONE_CHROMIUM` or `CHROME_PATH` (an explicit choice: it must exist);
 * 2. playwright's own browser cache (`PLAYWRIGHT_BROWSERS_PATH`, else
 *    `~/.cache/ms-playwright` or macOS `~/Library/Caches/ms-playwright`), full
 *    Chromium before the headless shell, newest revision first;
 * 3. a system browser: `/usr/bin/chromium`, then `chromium`, `google-chrome`,
 *    `google-chrome-stable`, `chromium-browser` on PATH, then the usual macOS
 *    applications;
 * 4. on Linux x64, the headless Chromium inside the `@sparticuz/chromium` dev
 *    dependency, unpacked once into the temp directory (`npm install` needs no
 *    network but the registry for it).
 *
 * Where none applies, `findChromium` throws one line that says how to get one.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'

export type FoundChromium = { executablePath: string; source: string }

/** What the search looks at; the running machine unless a test says otherwise. */
export type Machine = {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  arch: string
  home: string
}

const THIS_MACHINE: Machine = {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  home: homedir(),
}

export const NO_CHROMIUM =
  'No Chromium for the browser tests: set LODESTONE_CHROMIUM=/path/to/chrome, or install Google Chrome or Chromium (apt-get install chromium, brew install --cask chromium).'

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** Executables inside playwright's cache, e.g. `chromium-1200/chrome-linux64/chrome`. */
function playwrightCache({ env, platform, home }: Machine): string[] {
  const roots = env.PLAYWRIGHT_BROWSERS_PATH
    ? [env.PLAYWRIGHT_BROWSERS_PATH]
    : [
        path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'ms-playwright'),
        path.join(home, 'Library', 'Caches', 'ms-playwright'),
      ]
  const inside: Record<string, string[]> =
    platform === 'darwin'
      ? {
          chromium: [
            'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
            'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
            'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
          ],
          chromium_headless_shell: [
            'chrome-headless-shell-mac-arm64/chrome-headless-shell',
            'chrome-headless-shell-mac-x64/chrome-headless-shell',
            'chrome-mac/headless_shell',
          ],
        }
      : {
          chromium: ['chrome-linux64/chrome', 'chrome-linux/chrome'],
          chromium_headless_shell: [
            'chrome-headless-shell-linux64/chrome-headless-shell',
            'chrome-linux/headless_shell',
          ],
        }
  const found: string[] = []
  for (const root of roots) {
    if (!existsSync(root)) continue
    for (const [kind, files] of Object.entries(inside)) {
      const revisions = readdirSync(root)
        .filter((name) => new RegExp(`^${kind}-\\d+$`).test(name))
        .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()))
      for (const revision of revisions)
        for (const file of files) found.push(path.join(root, revision, file))
    }
  }
  return found
}

function onPath(env: NodeJS.ProcessEnv, names: string[]): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  return names.flatMap((name) => dirs.map((dir) => path.join(dir, name)))
}

/** An installed browser (steps 1 to 3), or `undefined`. Throws when an explicit path is wrong. */
export function findInstalledChromium(machine: Machine = THIS_MACHINE): FoundChromium | undefined {
  const { env, platform, home } = machine
  for (const name of ['LODESTONE_CHROMIUM', 'CHROME_PATH'] as const) {
    const chosen = env[name]
    if (!chosen) continue
    if (!isExecutable(chosen))
      throw new Error(
        `${name}=${chosen} is not an executable file: point it at Chrome or Chromium, or unset it.`,
      )
    return { executablePath: chosen, source: name }
  }
  const candidates: [string, string[]][] = [
    ['playwright cache', playwrightCache(machine)],
    [
      'system',
      [
        ...(platform === 'linux' ? ['/usr/bin/chromium'] : []),
        ...onPath(env, ['chromium', 'google-chrome', 'google-chrome-stable', 'chromium-browser']),
        ...(platform === 'darwin'
          ? [
              '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
              '/Applications/Chromium.app/Contents/MacOS/Chromium',
              path.join(home, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
              path.join(home, 'Applications/Chromium.app/Contents/MacOS/Chromium'),
            ]
          : []),
      ],
    ],
  ]
  for (const [source, files] of candidates) {
    const file = files.find(isExecutable)
    if (file) return { executablePath: file, source }
  }
  return undefined
}

/**
 * A browser to launch: an installed one, else (Linux x64) the one bundled in
 * `@sparticuz/chromium`. Only its binary is used: its `args` are for serverless
 * sandboxes (`--single-process`, `--disable-web-security`) and would void the
 * cross-origin tests; the harness passes its own.
 */
export async function findChromium(machine: Machine = THIS_MACHINE): Promise<FoundChromium> {
  const installed = findInstalledChromium(machine)
  if (installed) return installed
  if (machine.platform === 'linux' && machine.arch === 'x64') {
    let bundled: typeof import('@sparticuz/chromium').default
    try {
      bundled = (await import('@sparticuz/chromium')).default
    } catch {
      throw new Error(`${NO_CHROMIUM} (@sparticuz/chromium is not installed: run npm install)`)
    }
    // Unpacks to <tmp>/chromium on first use (a few seconds), then reuses it.
    const executablePath = await bundled.executablePath()
    if (!isExecutable(executablePath)) {
      throw new Error(`${executablePath} (from @sparticuz/chromium) is not executable; remove it.`)
    }
    return { executablePath, source: `@sparticuz/chromium, unpacked in ${tmpdir()}` }
  }
  throw new Error(NO_CHROMIUM)
}

/**
 * Answers the browser's version line, or throws one line when it does not even
 * start: a library missing, or an unpack of the bundled one cut short (its file
 * exists, so it would be reused every time).
 */
export function chromiumVersion({ executablePath, source }: FoundChromium): string {
  const result = spawnSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 20_000 })
  const version = result.stdout?.trim()
  if (result.status === 0 && version) return version
  const why =
    (result.error?.message ?? result.stderr?.trim().split('\n')[0]) || `exit ${result.status}`
  const fix = source.startsWith('@sparticuz')
    ? `delete ${executablePath} to unpack it again`
    : 'set LODESTONE_CHROMIUM to another Chrome or Chromium'
  throw new Error(`${executablePath} (${source}) does not start (${why}): ${fix}.`)
}

/**
 * Launch switches for every browser found: no network of its own beyond the
 * test pages (no QUIC, no background, component or sync traffic), no GPU.
 * Playwright already gives every launch a fresh temporary profile (it refuses
 * `--user-data-dir` here). Root cannot run Chromium's sandbox.
 */
export const CHROMIUM_ARGS = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
