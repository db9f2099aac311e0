import type { Locale } from '../../../shared/common'

export interface ConsentLinks {
  optin?: string
  receipt: string
  withdraw: string
}

const TEXT = {
  de: {
    optinSubject: (site: string) => `Bitte bestätigen Sie Ihre Anmeldung bei ${site}`,
    optinBody: (site: string, link: string) =>
      `Guten Tag,\n\nSie haben sich für den Newsletter von ${site} angemeldet. Bitte öffnen Sie diesen Link und bestätigen Sie Ihre Anmeldung dort mit einem Klick:\n\n${link}\n\nWenn Sie sich nicht angemeldet haben, ignorieren Sie diese E-Mail; Sie erhalten dann keine weiteren Nachrichten.`,
    footer: (links: ConsentLinks) =>
      `\n\n--\nIhre Einwilligungen ansehen: ${links.receipt}\nEinwilligung widerrufen: ${links.withdraw}\n`,
  },
  en: {
    optinSubject: (site: string) => `Please confirm your subscription to ${site}`,
    optinBody: (site: string, link: string) =>
      `Hello,\n\nYou signed up for the ${site} newsletter. Please open this link and confirm there with one click:\n\n${link}\n\nIf you did not sign up, ignore this email and you will hear nothing more from us.`,
    footer: (links: ConsentLinks) =>
      `\n\n--\nSee your consents: ${links.receipt}\nWithdraw your consent: ${links.withdraw}\n`,
  },
} as const

/** The double opt-in mail; like every mail, it links the consent receipt and one-click withdrawal. */
export function optinMessage(locale: Locale, siteName: string, links: Required<ConsentLinks>) {
  const text = TEXT[locale]
  return {
    subject: text.optinSubject(siteName),
    text: text.optinBody(siteName, links.optin) + text.footer(links),
  }
}
