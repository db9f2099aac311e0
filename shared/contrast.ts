/**
 * WCAG 2 contrast (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio) for the
 * `#rrggbb` colours a site may set as its accent (docs/consent-and-privacy.md#branding).
 */

export const WHITE = '#ffffff'
export const NEAR_BLACK = '#111111'
export const BLACK = '#000000'

/** Normal text needs 4.5:1 (WCAG 1.4.3, level AA). */
export const MIN_TEXT_CONTRAST = 4.5

/** Relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = match.slice(1).map((pair) => {
    const channel = parseInt(pair, 16) / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The contrast ratio of two `#rrggbb` colours, 1 to 21, in either order. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ]
  return (light + 0.05) / (dark + 0.05)
}

/**
 * The colour of text drawn on `background`: white or near-black, whichever
 * contrasts more. Near-black cannot reach 4.5:1 on every mid-tone where white
 * fails too (on #777777 white gives 4.48:1, #111 4.21:1), so there it is pure
 * black, which reaches at least 4.58:1 on anything white fails on.
 */
export function textColourOn(background: string): string {
  const onWhite = contrastRatio(background, WHITE)
  const onNearBlack = contrastRatio(background, NEAR_BLACK)
  const best = onWhite >= onNearBlack ? WHITE : NEAR_BLACK
  return Math.max(onWhite, onNearBlack) >= MIN_TEXT_CONTRAST ? best : BLACK
}

/** Non-text contrast (WCAG 1.4.11, level AA): borders of controls, a button's shape. */
export const MIN_NON_TEXT_CONTRAST = 3

/**
 * The form's colours where a theme leaves one out: the form stylesheet's own fallbacks
 * (widget/form/styles.ts); text takes the page's, judged here as the popup's near-black.
 */
export const FORM_COLOUR_DEFAULTS = {
  accent: '#1d4ed8',
  onAccent: '#ffffff',
  text: '#111111',
  background: '#ffffff',
  border: '#6b6b6b',
  error: '#b3261e',
} as const

export type FormColour = keyof typeof FORM_COLOUR_DEFAULTS

/** The pairs of a form theme that WCAG asks a ratio of, and that ratio. */
export const THEME_PAIRS: readonly { fore: FormColour; back: FormColour; needs: number }[] = [
  { fore: 'text', back: 'background', needs: MIN_TEXT_CONTRAST },
  { fore: 'onAccent', back: 'accent', needs: MIN_TEXT_CONTRAST },
  { fore: 'error', back: 'background', needs: MIN_TEXT_CONTRAST },
  { fore: 'border', back: 'background', needs: MIN_NON_TEXT_CONTRAST },
  { fore: 'accent', back: 'background', needs: MIN_NON_TEXT_CONTRAST },
]

export interface ContrastCheck {
  fore: FormColour
  back: FormColour
  ratio: number
  needs: number
  ok: boolean
}

/**
 * Checks each pair of `theme`'s colours (the defaults where it leaves one out, or gives one that is
 * not `#rrggbb`): text, on-accent and error need 4.5:1, border and accent on the background 3:1.
 * A ratio passes only as computed, not as rounded for display (4.48 is not 4.5).
 */
export function checkThemeContrast(theme: Partial<Record<FormColour, string>>): ContrastCheck[] {
  const colour = (key: FormColour) => {
    const value = theme[key]
    return value && /^#[0-9a-f]{6}$/i.test(value) ? value : FORM_COLOUR_DEFAULTS[key]
  }
  return THEME_PAIRS.map(({ fore, back, needs }) => {
    const ratio = contrastRatio(colour(fore), colour(back))
    return { fore, back, ratio, needs, ok: ratio >= needs }
  })
}

/** A ratio as people read it, rounded down to two decimals so a failing one never shows as passing. */
export function formatRatio(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2).replace(/0$/, '').replace(/\.0$/, '')
}
