import { LOCALES, type Locale } from '../../../shared/common'

/** The locale of a language tag by its primary subtag (`de-AT` is German), if we speak it. */
export function primaryLocale(tag: string | undefined): Locale | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase()
  return LOCALES.find((locale) => locale === primary)
}

/**
 * The language to answer in from `Accept-Language` (RFC 9110 §12.5.4): the supported
 * language with the highest weight, else `fallback`. `de-CH;q=0.9` counts as German;
 * `*` and languages we do not speak are passed over.
 */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  let best: { locale: Locale; weight: number } | undefined
  for (const range of (header ?? '').slice(0, 500).split(',')) {
    const [tag, ...params] = range.split(';')
    const locale = primaryLocale(tag)
    if (!locale) continue
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const weight = q ? Number(q.slice(2)) : 1
    if (Number.isFinite(weight) && weight > 0 && (!best || weight > best.weight))
      best = { locale, weight }
  }
  return best?.locale ?? fallback
}
