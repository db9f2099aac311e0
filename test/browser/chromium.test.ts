// Where the browser tests find their browser (./chromium.ts), on made-up machines:
// a temporary home with fake executables, nothing of the real one.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findChromium, findInstalledChromium, NO_CHROMIUM, type Machine } from './chromium'

const home = mkdtempSync(path.join(tmpdir(), 'lodestone-chromium-finder-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function executable(relative: string) {
  const file = path.join(home, relative)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, '#!/bin/sh\n')
  chmodSync(file, 0o755)
  return file
}

const machine = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux'): Machine => ({
  env: { PATH: '', ...env },
  platform,
  arch: 'x64',
  home,
})

describe('findInstalledChromium', () => {
  it('takes LODESTONE_CHROMIUM before CHROME_PATH and before any installed browser', () => {
    const chosen = executable('chosen/chrome')
    const other = executable('other/chrome')
    const found = findInstalledChromium(
      machine({ LODESTONE_CHROMIUM: chosen, CHROME_PATH: other, PATH: path.dirname(other) }),
    )
    expect(found).toEqual({ executablePath: chosen, source: 'LODESTONE_CHROMIUM' })
    expect(findInstalledChromium(machine({ CHROME_PATH: other }))?.executablePath).toBe(other)
  })

  it('refuses an explicit path that is not an executable, saying which variable', () => {
    expect(() => findInstalledChromium(machine({ CHROME_PATH: path.join(home, 'nope') }))).toThrow(
      /^CHROME_PATH=.*nope is not an executable file/,
    )
  })

  it("takes the newest full Chromium in playwright's cache before its headless shell", () => {
    const cache = path.join(home, 'pw')
    executable(
      'pw/chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell',
    )
    executable('pw/chromium-1190/chrome-linux64/chrome')
    const newest = executable('pw/chromium-1200/chrome-linux64/chrome')
    const found = findInstalledChromium(machine({ PLAYWRIGHT_BROWSERS_PATH: cache }))
    expect(found).toEqual({ executablePath: newest, source: 'playwright cache' })
  })

  it('finds google-chrome on PATH', () => {
    const chrome = executable('bin/google-chrome')
    const found = findInstalledChromium(machine({ PATH: path.dirname(chrome) }, 'freebsd'))
    expect(found).toEqual({ executablePath: chrome, source: 'system' })
  })
})

describe('findChromium', () => {
  it('stops with the one line that says how to get a browser where none is installed or bundled', async () => {
    await expect(findChromium(machine({}, 'freebsd'))).rejects.toThrow(NO_CHROMIUM)
  })
})
