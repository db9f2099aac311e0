import type { Locale } from '../../../shared/common'
import type { Role } from '../../../shared/users'

/** The two mails of the app's sign-in (docs/app-sign-in.md#links), in the person's language. */

const ROLE_NAMES: Record<Locale, Record<Role, string>> = {
  de: { admin: 'Administration', marketer: 'Marketing', sales: 'Vertrieb', viewer: 'Lesezugriff' },
  en: { admin: 'admin', marketer: 'marketer', sales: 'sales', viewer: 'viewer' },
}

export function invitationMessage(
  locale: Locale,
  invite: { siteName: string; role: Role; link: string; days: number },
) {
  const role = ROLE_NAMES[locale][invite.role]
  return locale === 'de'
    ? {
        subject: `Einladung zu Lodestone: ${invite.siteName}`,
        text: `Guten Tag,\n\nSie wurden zu Lodestone eingeladen, um die Leads und Kampagnen von ${invite.siteName} zu sehen (Rolle: ${role}). Öffnen Sie diesen Link, um sich anzumelden:\n\n${invite.link}\n\nDer Link gilt ${invite.days} Tage und nur einmal. Später fordern Sie auf der Anmeldeseite einen neuen Link an.\n\nWenn Sie mit dieser Einladung nichts anfangen können, ignorieren Sie diese E-Mail.\n`,
      }
    : {
        subject: `You are invited to Lodestone: ${invite.siteName}`,
        text: `Hello,\n\nYou have been invited to Lodestone to see the leads and campaigns of ${invite.siteName} (role: ${role}). Open this link to sign in:\n\n${invite.link}\n\nThe link works once, for ${invite.days} days. Later, ask for a new link on the sign-in page.\n\nIf this invitation means nothing to you, ignore this email.\n`,
      }
}

export function signInMessage(locale: Locale, link: { link: string; minutes: number }) {
  return locale === 'de'
    ? {
        subject: 'Ihr Anmeldelink für Lodestone',
        text: `Guten Tag,\n\nöffnen Sie diesen Link, um sich bei Lodestone anzumelden:\n\n${link.link}\n\nDer Link gilt ${link.minutes} Minuten und nur einmal. Wenn Sie keinen Link angefordert haben, ignorieren Sie diese E-Mail; niemand wird damit angemeldet.\n`,
      }
    : {
        subject: 'Your Lodestone sign-in link',
        text: `Hello,\n\nOpen this link to sign in to Lodestone:\n\n${link.link}\n\nThe link works once, for ${link.minutes} minutes. If you did not ask for it, ignore this email; nobody is signed in with it.\n`,
      }
}
