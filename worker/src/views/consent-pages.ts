import type { ConsentReceipt } from '../../../shared/consent'
import type { Site } from '../../../shared/site'
import { escapeHtml, htmlPage } from '../lib/html'

/**
 * The pages a lead sees after following a link from a mail, in the site's
 * language (German or English). Every value from storage is escaped.
 */
type PageSite = Pick<Site, 'locale' | 'name'>

function withdrawButton(token: string, label: string): string {
  return `<form method="post" action="/v1/consent/${escapeHtml(token)}/withdraw"><button type="submit">${label}</button></form>`
}

/** After the double opt-in link: the newsletter subscription is confirmed. */
export function optinConfirmedPage(site: PageSite): Response {
  const de = site.locale === 'de'
  return htmlPage(
    site.locale,
    de ? 'Anmeldung bestätigt' : 'Subscription confirmed',
    `<p>${escapeHtml(de ? `Danke! Sie erhalten ab jetzt den Newsletter von ${site.name}.` : `Thank you! You will now receive the ${site.name} newsletter.`)}</p>`,
  )
}

/** The receipt: every entry with the exact text shown, and one button while any consent is active. */
export function receiptPage(
  site: PageSite,
  receipt: ConsentReceipt,
  token: string,
  active: boolean,
): Response {
  const de = site.locale === 'de'
  const items = receipt.entries
    .map(
      (e) =>
        `<li><strong>${escapeHtml(e.purpose)}</strong>: ${escapeHtml(e.status)} (${escapeHtml(e.method)}, ${escapeHtml(e.at)})${e.text ? `<blockquote>${escapeHtml(e.text)}</blockquote><small>SHA-256 ${escapeHtml(e.textSha256 ?? '')}</small>` : ''}</li>`,
    )
    .join('')
  const button = active
    ? withdrawButton(token, de ? 'Alle Einwilligungen widerrufen' : 'Withdraw all consents')
    : `<p>${de ? 'Sie haben keine Einwilligung erteilt.' : 'You have given no consent.'}</p>`
  return htmlPage(
    site.locale,
    de ? `Ihre Einwilligungen bei ${site.name}` : `Your consents at ${site.name}`,
    `<p>${escapeHtml(receipt.email)}</p><ul>${items}</ul>${button}`,
  )
}

/** The withdrawal link's page: one button, because a GET must not act (mail scanners prefetch links). */
export function withdrawFormPage(site: PageSite, token: string): Response {
  const de = site.locale === 'de'
  return htmlPage(
    site.locale,
    de ? 'Einwilligung widerrufen' : 'Withdraw consent',
    withdrawButton(
      token,
      de
        ? `Keine E-Mails mehr von ${escapeHtml(site.name)}`
        : `No more mail from ${escapeHtml(site.name)}`,
    ),
  )
}

/** After a withdrawal from a browser or a one-click form post. */
export function withdrawnPage(site: PageSite): Response {
  const de = site.locale === 'de'
  return htmlPage(
    site.locale,
    de ? 'Widerruf gespeichert' : 'Consent withdrawn',
    `<p>${de ? 'Sie erhalten keine E-Mails mehr von uns.' : 'You will receive no more mail from us.'}</p>`,
  )
}
