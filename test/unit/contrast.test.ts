import { describe, expect, it } from 'vitest'
import {
  checkThemeContrast,
  contrastRatio,
  formatRatio,
  MIN_TEXT_CONTRAST,
  relativeLuminance,
  textColourOn,
} from '../../shared/contrast'

describe('contrastRatio', () => {
  it('is 21 for black on white, 1 for a colour on itself, in either order', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10)
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10)
    expect(contrastRatio('#1d4ed8', '#1d4ed8')).toBe(1)
  })

  it('matches published WCAG figures', () => {
    // #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeCloseTo(6.7, 1)
  })

  it('reads upper and lower case alike and refuses anything but #rrggbb', () => {
    expect(relativeLuminance('#FFEB3B')).toBe(relativeLuminance('#ffeb3b'))
    for (const bad of ['#fff', 'ffeb3b', '#ffeb3bff', 'red'])
      expect(() => relativeLuminance(bad), bad).toThrow(/#rrggbb/)
  })
})

describe('textColourOn', () => {
  it.each([
    ['#1d4ed8', '#ffffff'],
    ['#0f766e', '#ffffff'],
    ['#ffeb3b', '#111111'],
    ['#ffffff', '#111111'],
    ['#000000', '#ffffff'],
    // White (4.48:1) and #111 (4.22:1) both fall short on this grey; black reaches 4.69:1.
    ['#777777', '#000000'],
  ])('on %s draws %s', (background, text) => {
    expect(textColourOn(background)).toBe(text)
    expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
  })

  it('keeps 4.5:1 on every grey and on a grid of 4,096 colours', () => {
    const hex = (v: number) => v.toString(16).padStart(2, '0')
    const colours: string[] = []
    for (let v = 0; v < 256; v++) colours.push(`#${hex(v).repeat(3)}`)
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17)
        for (let b = 0; b < 256; b += 17) colours.push(`#${hex(r)}${hex(g)}${hex(b)}`)
    const failing = colours.filter(
      (colour) => contrastRatio(colour, textColourOn(colour)) < MIN_TEXT_CONTRAST,
    )
    expect(failing).toEqual([])
  })
})

describe('checkThemeContrast', () => {
  it('passes the form defaults on every pair', () => {
    expect(checkThemeContrast({}).filter((check) => !check.ok)).toEqual([])
  })

  it('asks 4.5:1 of text, on-accent and error, 3:1 of border and accent, judged unrounded', () => {
    const checks = checkThemeContrast({
      text: '#777777',
      border: '#cccccc',
      accent: '#949494',
      onAccent: '#ffffff',
      error: '#767676',
    })
    const byPair = Object.fromEntries(checks.map((c) => [`${c.fore}/${c.back}`, c]))
    expect(byPair['text/background']).toMatchObject({ ok: false, needs: 4.5 })
    expect(byPair['text/background']!.ratio).toBeCloseTo(4.48, 2)
    expect(byPair['error/background']).toMatchObject({ ok: true, needs: 4.5 })
    expect(byPair['border/background']).toMatchObject({ ok: false, needs: 3 })
    expect(byPair['border/background']!.ratio).toBeCloseTo(1.61, 2)
    // #949494 on white is 3.03:1: enough for the button's shape, not for white text on it.
    expect(byPair['accent/background']).toMatchObject({ ok: true, needs: 3 })
    expect(byPair['onAccent/accent']).toMatchObject({ ok: false })
  })

  it('takes the default for a colour that is missing or not #rrggbb', () => {
    const [text] = checkThemeContrast({ text: 'red' })
    expect(text!.ratio).toBeCloseTo(contrastRatio('#111111', '#ffffff'), 10)
  })
})

describe('formatRatio', () => {
  it('rounds down, so a failing ratio never reads as the one it needs', () => {
    expect(formatRatio(4.4799)).toBe('4.47')
    expect(formatRatio(4.5)).toBe('4.5')
    expect(formatRatio(21)).toBe('21')
    expect(formatRatio(1.9)).toBe('1.9')
  })
})
