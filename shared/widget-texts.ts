import type { Locale } from './common'
import type { FieldReason, ProblemCode } from './problem'

/** Only codes of the closed list (shared/problem.ts) type-check here. */
type Codes<C extends ProblemCode> = C

/**
 * The collector's refusals the form explains in its own words. The others come with field
 * errors (`validation_failed`, `disposable_email`, `consent_invalid`) or are a setup fault the
 * visitor cannot mend: `failed`.
 */
export type ShownCode = Codes<'spam_suspected' | 'rate_limited' | 'start_token_invalid'>

/**
 * Every string the widget's form shows that does not come from the form itself: its own
 * words for each field `reason` and each {@link ShownCode}, so a visitor reads one language
 * whatever the collector's `detail` is in (docs/wire-contract.md#errors). The collector hands
 * them out with the site's configuration, only in the languages of the forms it serves, so the
 * form chunk carries no language it does not show (widget/README.md#size-budget).
 */
export type WidgetTexts = Record<FieldReason | ShownCode, string> & {
  submit: string
  sending: string
  thanks: string
  download: string
  /** The link to the consent receipt on the thank-you state. */
  receipt: string
  close: string
  failed: string
  honeypot: string
  consent: string
}

export const WIDGET_TEXTS: Record<Locale, WidgetTexts> = {
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
    too_long: 'This is too long.',
    disposable: 'Please use a permanent email address, not a disposable one.',
    phone: 'Please enter a valid phone number.',
    option: 'Please choose one of the options.',
    invalid: 'Please check this entry.',
    stale: 'This form has changed. Please reload the page.',
    turnstile: 'The security check did not pass. Please try again.',
    spam_suspected: 'This could not be sent. Please try again in a moment.',
    rate_limited: 'Too many attempts. Please wait a minute and try again.',
    start_token_invalid: 'The form has expired. Please send it again.',
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
    too_long: 'Das ist zu lang.',
    disposable: 'Bitte verwenden Sie eine dauerhafte E-Mail-Adresse, keine Wegwerfadresse.',
    phone: 'Bitte geben Sie eine gültige Telefonnummer ein.',
    option: 'Bitte wählen Sie eine der Möglichkeiten.',
    invalid: 'Bitte prüfen Sie diese Angabe.',
    stale: 'Dieses Formular hat sich geändert. Bitte laden Sie die Seite neu.',
    turnstile: 'Die Sicherheitsprüfung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
    spam_suspected: 'Das konnte nicht gesendet werden. Bitte versuchen Sie es gleich noch einmal.',
    rate_limited: 'Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es erneut.',
    start_token_invalid: 'Das Formular ist abgelaufen. Bitte senden Sie es erneut.',
  },
}
