import type { Locale } from '../../../shared/common'
import type { ConsentReceipt } from '../../../shared/consent'
import type { Site } from '../../../shared/site'
import { DEFAULT_ACCENT, escapeHtml, htmlPage, type PageBrand } from '../lib/html'
import type { DeadLink } from '../services/consent-links'

/**
 * The pages a lead sees after following a link from a mail, in the language
 * the lead submitted in (docs/consent-and-privacy.md#language), branded by
 * the site's name and accent colour. Every value from storage is escaped; no
 * page runs a script.
 */
type PageSite = Pick<Site, 'name' | 'country' | 'accentColor'>

/** A site without an accent of its own gets the widget's default. */
const brand = (site: PageSite): PageBrand => ({
  name: site.name,
  accent: site.accentColor ?? DEFAULT_ACCENT,
})

/** Dates in the site's country's time zone, named on the page, so "14:05" is never a riddle. */
const ZONES: Record<string, string> = {
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  GB: 'Europe/London',
}

function humanDate(iso: string, locale: Locale, site: PageSite): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ZONES[site.country] ?? 'UTC',
    timeZoneName: 'short',
  }).format(new Date(iso))
}

const TEXT = {
  de: {
    purposes: {
      marketing_email: (site: string) => `E-Mails von ${site}`,
      tracking: () => 'Zuordnung Ihrer Besuche auf der Website',
    } as Record<string, (site: string) => string>,
    otherPurpose: (purpose: string) => `Zweck „${purpose}“`,
    now: {
      granted: 'erteilt',
      confirmed: 'erteilt und bestätigt',
      pending: 'angemeldet, noch nicht bestätigt',
      withdrawn: 'nicht erteilt',
      revoked: 'widerrufen',
    } as Record<string, string>,
    event: (status: string, method: string): string =>
      method === 'import'
        ? status === 'granted'
          ? 'Ihre Einwilligung wurde aus einem früheren System übernommen.'
          : 'Aus einem früheren System übernommen: keine Einwilligung.'
        : status === 'granted'
          ? 'Sie haben eingewilligt (Kästchen im Formular angekreuzt).'
          : status === 'pending'
            ? 'Sie haben sich angemeldet; die Bestätigung per E-Mail stand aus.'
            : status === 'confirmed'
              ? 'Sie haben Ihre Anmeldung über den Link in der E-Mail bestätigt.'
              : method === 'checkbox'
                ? 'Sie haben nicht eingewilligt (Kästchen im Formular nicht angekreuzt).'
                : 'Sie haben Ihre Einwilligung widerrufen.',
    currently: 'Aktuell',
    shownText: 'Der Text, dem Sie zugestimmt haben',
    version: (v: number) => `Fassung ${v}`,
    fingerprint: 'Prüfsumme des Textes (SHA-256)',
    onPage: 'auf der Seite',
    receiptTitle: (site: string) => `Ihre Einwilligungen bei ${site}`,
    receiptFor: (email: string) =>
      `Für die E-Mail-Adresse ${email}. Hier steht alles, was Sie erlaubt, bestätigt oder widerrufen haben, mit dem genauen Wortlaut.`,
    nothingGiven: 'Sie haben uns keine Einwilligung gegeben.',
    noneInForce:
      'Derzeit ist keine Ihrer Einwilligungen in Kraft. Was Sie früher erteilt und widerrufen haben, steht oben.',
    withdrawAll: 'Alle Einwilligungen widerrufen',
    withdrawTitle: 'Einwilligung widerrufen',
    withdrawIntro: (site: string) =>
      `Mit dem Knopf widerrufen Sie diese Einwilligungen bei ${site}:`,
    withdrawNothing:
      'Derzeit ist keine Ihrer Einwilligungen in Kraft; es gibt nichts zu widerrufen.',
    seeReceipt: 'Ihre Einwilligungen ansehen',
    withdrawnTitle: 'Widerruf gespeichert',
    withdrawnBody: 'Ihr Widerruf ist gespeichert. Diese Einwilligungen sind nicht mehr in Kraft:',
    withdrawnNothing: 'Es war keine Einwilligung mehr in Kraft; es hat sich nichts geändert.',
    optinTitle: 'Anmeldung bestätigen',
    optinBody: (site: string, email: string) =>
      `Bitte bestätigen Sie, dass Sie den Newsletter von ${site} an ${email} erhalten möchten.`,
    optinButton: 'Ja, Anmeldung bestätigen',
    optinNote:
      'Wenn Sie sich nicht angemeldet haben, schließen Sie diese Seite einfach; es geschieht dann nichts.',
    confirmedTitle: 'Anmeldung bestätigt',
    confirmedBody: (site: string) =>
      `Danke! Sie erhalten ab jetzt den Newsletter von ${site}. Abmelden können Sie sich jederzeit über den Link in jeder E-Mail.`,
    dead: {
      unknown: [
        'Link nicht gültig',
        'Dieser Link ist nicht (mehr) gültig. Bitte prüfen Sie, ob Sie ihn vollständig aus der E-Mail übernommen haben.',
      ],
      used: [
        'Link bereits verwendet',
        'Dieser Bestätigungslink wurde bereits verwendet. Sie müssen nichts weiter tun.',
      ],
      expired: [
        'Link abgelaufen',
        'Dieser Bestätigungslink ist abgelaufen (er gilt sieben Tage). Wenn Sie den Newsletter weiterhin erhalten möchten, melden Sie sich bitte auf der Website erneut an.',
      ],
      withdrawn: [
        'Einwilligung widerrufen',
        'Sie haben diese Einwilligung widerrufen. Ein älterer Bestätigungslink macht das nicht rückgängig. Wenn Sie den Newsletter wieder erhalten möchten, melden Sie sich bitte auf der Website erneut an.',
      ],
    } as Record<DeadLink, [string, string]>,
  },
  en: {
    purposes: {
      marketing_email: (site: string) => `Email from ${site}`,
      tracking: () => 'Linking your visits to this website',
    } as Record<string, (site: string) => string>,
    otherPurpose: (purpose: string) => `Purpose “${purpose}”`,
    now: {
      granted: 'given',
      confirmed: 'given and confirmed',
      pending: 'signed up, not yet confirmed',
      withdrawn: 'not given',
      revoked: 'withdrawn',
    } as Record<string, string>,
    event: (status: string, method: string): string =>
      method === 'import'
        ? status === 'granted'
          ? 'Your consent was carried over from an earlier system.'
          : 'Carried over from an earlier system: no consent.'
        : status === 'granted'
          ? 'You gave your consent (ticked the box on the form).'
          : status === 'pending'
            ? 'You signed up; confirmation by email was outstanding.'
            : status === 'confirmed'
              ? 'You confirmed your signup with the link in the email.'
              : method === 'checkbox'
                ? 'You did not give your consent (left the box on the form unticked).'
                : 'You withdrew your consent.',
    currently: 'Now',
    shownText: 'The text you agreed to',
    version: (v: number) => `version ${v}`,
    fingerprint: 'Checksum of the text (SHA-256)',
    onPage: 'on the page',
    receiptTitle: (site: string) => `Your consents at ${site}`,
    receiptFor: (email: string) =>
      `For the email address ${email}. This is everything you allowed, confirmed or withdrew, with the exact wording.`,
    nothingGiven: 'You have given us no consent.',
    noneInForce:
      'None of your consents is in force now. What you gave and withdrew earlier is listed above.',
    withdrawAll: 'Withdraw all consents',
    withdrawTitle: 'Withdraw consent',
    withdrawIntro: (site: string) => `The button withdraws these consents you gave ${site}:`,
    withdrawNothing: 'None of your consents is in force now; there is nothing to withdraw.',
    seeReceipt: 'See your consents',
    withdrawnTitle: 'Consent withdrawn',
    withdrawnBody: 'Your withdrawal is saved. These consents are no longer in force:',
    withdrawnNothing: 'No consent was in force any more; nothing has changed.',
    optinTitle: 'Confirm your subscription',
    optinBody: (site: string, email: string) =>
      `Please confirm that you want to receive the ${site} newsletter at ${email}.`,
    optinButton: 'Yes, confirm my subscription',
    optinNote: 'If you did not sign up, simply close this page; nothing will happen.',
    confirmedTitle: 'Subscription confirmed',
    confirmedBody: (site: string) =>
      `Thank you! You will now receive the ${site} newsletter. You can unsubscribe at any time with the link in every email.`,
    dead: {
      unknown: [
        'Link not valid',
        'This link is not valid (any more). Please check that you copied all of it from the email.',
      ],
      used: [
        'Link already used',
        'This confirmation link has been used already. There is nothing more to do.',
      ],
      expired: [
        'Link expired',
        'This confirmation link has expired (it works for seven days). If you still want the newsletter, please sign up again on the website.',
      ],
      withdrawn: [
        'Consent withdrawn',
        'You withdrew this consent. An older confirmation link does not undo that. If you want the newsletter again, please sign up again on the website.',
      ],
    } as Record<DeadLink, [string, string]>,
  },
} as const

type Text = (typeof TEXT)[Locale]

const purposeName = (t: Text, purpose: string, site: PageSite) =>
  t.purposes[purpose]?.(site.name) ?? t.otherPurpose(purpose)

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`

function postButton(action: string, label: string): string {
  return `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`
}

/** The double opt-in link's page: one button, because a GET must not act (mail scanners prefetch links). */
export function optinFormPage(
  site: PageSite,
  locale: Locale,
  token: string,
  email: string,
): Response {
  const t = TEXT[locale]
  return htmlPage(
    locale,
    t.optinTitle,
    paragraph(t.optinBody(site.name, email)) +
      postButton(`/v1/optin/${token}`, t.optinButton) +
      `<p class="m">${escapeHtml(t.optinNote)}</p>`,
    { brand: brand(site) },
  )
}

/** After the opt-in button: the newsletter subscription is confirmed. */
export function optinConfirmedPage(site: PageSite, locale: Locale): Response {
  const t = TEXT[locale]
  return htmlPage(locale, t.confirmedTitle, paragraph(t.confirmedBody(site.name)), {
    brand: brand(site),
  })
}

/**
 * A link that does nothing (unknown, used, expired, or voided by a withdrawal):
 * a page that says so in plain words, with the status the JSON answer has.
 */
export function deadLinkPage(
  reason: DeadLink,
  site: PageSite | null,
  locale: Locale,
  status: number,
): Response {
  const [title, body] = TEXT[locale].dead[reason]
  return htmlPage(locale, title, paragraph(body), {
    status,
    ...(site ? { brand: brand(site) } : {}),
  })
}

/** The state a purpose is in now: an unticked box was never given; a withdrawal revoked what was. */
function currentState(latest: { status: string; method: string }): string {
  return latest.status === 'withdrawn' && latest.method !== 'checkbox' && latest.method !== 'import'
    ? 'revoked'
    : latest.status
}

/** One purpose of the receipt: what holds now, then every entry in order, each with its text. */
function purposeSection(
  t: Text,
  locale: Locale,
  site: PageSite,
  purpose: string,
  entries: ConsentReceipt['entries'],
): string {
  const now = entries.at(-1)!
  const items = entries
    .map((e) => {
      const when = `<p class="m"><time datetime="${escapeHtml(e.at)}">${escapeHtml(humanDate(e.at, locale, site))}</time>${e.pageUrl ? ` · ${escapeHtml(t.onPage)} ${escapeHtml(e.pageUrl.replace(/^https?:\/\//, ''))}` : ''}</p>`
      const shown =
        e.text && e.status !== 'withdrawn'
          ? `<p class="m">${escapeHtml(t.shownText)}${e.textVersion ? ` (${escapeHtml(t.version(e.textVersion))})` : ''}:</p><blockquote>${escapeHtml(e.text)}</blockquote>${e.textSha256 ? `<p class="m">${escapeHtml(t.fingerprint)}: <code>${escapeHtml(e.textSha256)}</code></p>` : ''}`
          : ''
      return `<li>${when}<p>${escapeHtml(t.event(e.status, e.method))}</p>${shown}</li>`
    })
    .join('')
  return `<section><h2>${escapeHtml(purposeName(t, purpose, site))}</h2><p><strong>${escapeHtml(t.currently)}:</strong> ${escapeHtml(t.now[currentState(now)] ?? now.status)}</p><ol>${items}</ol></section>`
}

/**
 * The receipt: per purpose, what holds now and the true history (given,
 * confirmed, withdrawn), each entry with the exact text shown. One button
 * while any consent is in force; after a withdrawal it says none is in
 * force now, never that none was ever given.
 */
export function receiptPage(
  site: PageSite,
  locale: Locale,
  receipt: ConsentReceipt,
  token: string,
  active: boolean,
): Response {
  const t = TEXT[locale]
  const byPurpose = new Map<string, ConsentReceipt['entries']>()
  for (const entry of receipt.entries)
    byPurpose.set(entry.purpose, [...(byPurpose.get(entry.purpose) ?? []), entry])
  const sections = [...byPurpose]
    .map(([purpose, entries]) => purposeSection(t, locale, site, purpose, entries))
    .join('')
  const gaveAny = receipt.entries.some((e) => e.status !== 'withdrawn')
  const footer = active
    ? postButton(`/v1/consent/${token}/withdraw`, t.withdrawAll)
    : paragraph(gaveAny ? t.noneInForce : t.nothingGiven)
  return htmlPage(
    locale,
    t.receiptTitle(site.name),
    paragraph(t.receiptFor(receipt.email)) + sections + footer,
    { brand: brand(site) },
  )
}

/** The withdrawal link's page: one button, because a GET must not act (mail scanners prefetch links). */
export function withdrawFormPage(
  site: PageSite,
  locale: Locale,
  token: string,
  active: readonly string[],
): Response {
  const t = TEXT[locale]
  const body = active.length
    ? paragraph(t.withdrawIntro(site.name)) +
      `<ul>${active.map((p) => `<li>${escapeHtml(purposeName(t, p, site))}</li>`).join('')}</ul>` +
      postButton(`/v1/consent/${token}/withdraw`, t.withdrawAll)
    : paragraph(t.withdrawNothing)
  return htmlPage(
    locale,
    t.withdrawTitle,
    body + `<p><a href="/v1/consent/${escapeHtml(token)}">${escapeHtml(t.seeReceipt)}</a></p>`,
    { brand: brand(site) },
  )
}

/** After a withdrawal from a browser or a one-click form post. */
export function withdrawnPage(
  site: PageSite,
  locale: Locale,
  token: string,
  withdrawn: readonly string[],
): Response {
  const t = TEXT[locale]
  return htmlPage(
    locale,
    t.withdrawnTitle,
    (withdrawn.length
      ? paragraph(t.withdrawnBody) +
        `<ul>${withdrawn.map((p) => `<li>${escapeHtml(purposeName(t, p, site))}</li>`).join('')}</ul>`
      : paragraph(t.withdrawnNothing)) +
      `<p><a href="/v1/consent/${escapeHtml(token)}">${escapeHtml(t.seeReceipt)}</a></p>`,
    { brand: brand(site) },
  )
}
