import type { Locale } from '../../shared/common'
import type { Problem } from './validate'

/** Every string the form shows that does not come from the site's configuration. */
export type Strings = Record<Problem, string> & {
  submit: string
  sending: string
  thanks: string
  download: string
  receipt: string
  close: string
  failed: string
  honeypot: string
  consent: string
}

const STRINGS: Record<Locale, Strings> = {
  en: {
    submit: 'Submit',
    sending: 'Sending…',
    thanks: 'Thank you!',
    download: 'Download',
    receipt: 'Your consents',
    close: 'Close',
    failed: 'Something went wrong. Please try again.',
    honeypot: 'Leave this field empty',
    consent: 'Please confirm.',
    required: 'Please fill in this field.',
    email: 'Please enter a valid email address.',
    url: 'Please enter a web address starting with https://.',
    number: 'Please enter a number.',
    tooLong: 'This is too long.',
  },
  de: {
    submit: 'Absenden',
    sending: 'Wird gesendet…',
    thanks: 'Vielen Dank!',
    download: 'Herunterladen',
    receipt: 'Ihre Einwilligungen',
    close: 'Schließen',
    failed: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
    honeypot: 'Dieses Feld bitte leer lassen',
    consent: 'Bitte bestätigen Sie.',
    required: 'Bitte füllen Sie dieses Feld aus.',
    email: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    url: 'Bitte geben Sie eine Webadresse mit https:// ein.',
    number: 'Bitte geben Sie eine Zahl ein.',
    tooLong: 'Das ist zu lang.',
  },
}

/**
 * The page's language when it is German or English (`<html lang="de-AT">` counts as
 * German), else the site's locale (widget/README.md#forms-and-popups).
 */
export const pickLocale = (siteLocale: Locale): Locale => {
  const lang = document.documentElement.lang.slice(0, 2).toLowerCase()
  return lang == 'de' || lang == 'en' ? lang : siteLocale
}

/** The strings in the form's language ({@link pickLocale}). */
export const pickStrings = (locale: Locale): Strings => STRINGS[locale] || STRINGS.en
