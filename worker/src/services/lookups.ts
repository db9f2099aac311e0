import type { Form } from '../../../shared/form'
import type { Site } from '../../../shared/site'
import { findForm, listForms } from '../db/forms'
import { findSite } from '../db/sites'
import { IsolateCache, type IsolateCacheOptions } from '../lib/isolate-cache'
import { HttpProblem } from '../lib/problem'

/**
 * How long a public request may answer from a site or form read by an earlier request of the same
 * isolate (docs/scale.md#fewer-round-trips). An admin write forgets the entry in its own isolate
 * at once; other isolates see it within this time. 15 s keeps that well under the minute browsers
 * may already keep the widget's config (`max-age=60`), while a busy isolate reads its site a few
 * times a minute instead of on every request.
 */
export const LOOKUP_TTL_MS = 15_000

/** Entries per kind: sites, single forms and whole form lists, each bounded on its own. */
export const LOOKUP_MAX_ENTRIES = { sites: 1_000, forms: 2_000, formLists: 500 } as const

/**
 * The cached lookups of the public routes. Admin routes read the database itself (what they
 * show is what they just wrote) and call `forgetSite` after every write of a site or its forms.
 */
export function createLookups(
  options: Partial<Pick<IsolateCacheOptions, 'ttlMs' | 'now'>> & {
    maxEntries?: Partial<Record<keyof typeof LOOKUP_MAX_ENTRIES, number>>
  } = {},
) {
  const ttlMs = options.ttlMs ?? LOOKUP_TTL_MS
  const max = { ...LOOKUP_MAX_ENTRIES, ...options.maxEntries }
  const cache = <V>(maxEntries: number) =>
    new IsolateCache<V>({ ttlMs, maxEntries, ...(options.now ? { now: options.now } : {}) })
  const sites = cache<Site>(max.sites)
  const forms = cache<Form>(max.forms)
  const formLists = cache<readonly Form[]>(max.formLists)
  // Site keys and form ids are slugs (shared/common.ts): `:` cannot occur in either.
  return {
    /** The site, from this isolate's cache when read less than the lifetime ago. */
    lookUpSite: (db: D1Database, siteKey: string): Promise<Readonly<Site> | null> =>
      sites.load(siteKey, siteKey, () => findSite(db, siteKey)),
    /** One form of the site, cached like the site (its languages depend on the site's). */
    lookUpForm: (db: D1Database, site: Site, formId: string): Promise<Readonly<Form> | null> =>
      forms.load(`${site.siteKey}:${formId}`, site.siteKey, () => findForm(db, site, formId)),
    /** Every form of the site, by id, cached like the site. */
    lookUpForms: async (db: D1Database, site: Site): Promise<readonly Form[]> =>
      (await formLists.load(site.siteKey, site.siteKey, () => listForms(db, site))) ?? [],
    /** Forgets the site and its forms in this isolate: called after every write of either. */
    forgetSite: (siteKey: string): void => {
      sites.forget(siteKey)
      forms.forget(siteKey)
      formLists.forget(siteKey)
    },
    /** How many entries each kind keeps now (expired ones until next asked for). */
    sizes: () => ({ sites: sites.size, forms: forms.size, formLists: formLists.size }),
  }
}

const lookups = createLookups()

/** This isolate's cached lookups (worker/src/lib/isolate-cache.ts). */
export const { lookUpSite, lookUpForm, lookUpForms, forgetSite } = lookups

/** The site an admin request names, or its `404 site_not_found`. Read fresh, never cached. */
export async function requireSite(db: D1Database, siteKey: string): Promise<Site> {
  const site = await findSite(db, siteKey)
  if (!site)
    throw new HttpProblem({ code: 'site_not_found', detail: `There is no site "${siteKey}".` })
  return site
}

/**
 * The form a public request names, or its `404 form_not_found` in the visitor's language.
 * From the isolate's cache; `fresh` reads the database (an admin showing what it stored).
 */
export async function requireForm(
  db: D1Database,
  site: Site,
  formId: string,
  { fresh = false }: { fresh?: boolean } = {},
): Promise<Form> {
  const form = fresh ? await findForm(db, site, formId) : await lookUpForm(db, site, formId)
  if (!form)
    throw new HttpProblem({
      code: 'form_not_found',
      detail: {
        en: `The site has no form "${formId}".`,
        de: `Die Website hat kein Formular "${formId}".`,
      },
    })
  return form
}
