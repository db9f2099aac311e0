import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

/**
 * German and English. The language is the reader's choice (the switch in the header, kept in
 * this browser's localStorage), else the browser's first language that is German or English,
 * else English. Each screen keeps its own texts beside its code (`defineTexts`), so no screen
 * has to reach into a global dictionary.
 */
export const LANGS = ['de', 'en'] as const
export type Lang = (typeof LANGS)[number]

const STORAGE_KEY = 'lodestone.lang'

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (stored === 'de' || stored === 'en') return stored
  } catch {
    // storage blocked: fall through to the browser's languages
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0]
    if (primary === 'de' || primary === 'en') return primary
  }
  return 'en'
}

export function storeLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // the switch still works for this page
  }
  document.documentElement.lang = lang
}

export const LangContext = createContext<{ lang: Lang; setLang: (lang: Lang) => void }>({
  lang: 'en',
  setLang: () => {},
})

export const useLang = () => useContext(LangContext).lang

/** A text per language; a function where the text takes values. */
type Entry =
  | { de: string; en: string }
  | { de: (...args: never[]) => string; en: (...args: never[]) => string }
type Texts = Record<string, Entry>
type Resolved<T extends Texts> = { [K in keyof T]: T[K]['en'] }

/** Declares a screen's texts; `useTexts(texts)` answers them in the current language. */
export const defineTexts = <T extends Texts>(texts: T): T => texts

export function useTexts<T extends Texts>(texts: T): Resolved<T> {
  const lang = useLang()
  return textsIn(texts, lang)
}

export function textsIn<T extends Texts>(texts: T, lang: Lang): Resolved<T> {
  const out = {} as Record<string, unknown>
  for (const key in texts) out[key] = texts[key]![lang]
  return out as Resolved<T>
}

const LOCALE_OF: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' }

/** Number and date formats in the reader's language. */
export function formats(lang: Lang) {
  const locale = LOCALE_OF[lang]
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  return {
    locale,
    integer: (value: number | null | undefined) => (value == null ? '–' : integer.format(value)),
    decimal: (value: number | null | undefined) => (value == null ? '–' : decimal.format(value)),
    percent: (value: number | null | undefined) => (value == null ? '–' : percent.format(value)),
    /** Integer minor units (cents) of `currency`, shown in major units with the currency. */
    money: (minor: number | null | undefined, currency: string | null | undefined) => {
      if (minor == null || !currency) return '–'
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2
      return format.format(minor / 10 ** digits)
    },
    /** A UTC day `YYYY-MM-DD`. */
    day: (value: string) => day.format(new Date(`${value}T00:00:00Z`)),
    dateTime: (value: string) => dateTime.format(new Date(value)),
  }
}

export const useFormats = () => formats(useLang())
