import type { Form } from '../../../shared/form'
import type { Site } from '../../../shared/site'
import { findForm } from '../db/forms'
import { findSite } from '../db/sites'
import { HttpProblem } from '../lib/problem'

/** The site an admin request names, or its `404 site_not_found`. */
export async function requireSite(db: D1Database, siteKey: string): Promise<Site> {
  const site = await findSite(db, siteKey)
  if (!site)
    throw new HttpProblem({ code: 'site_not_found', detail: `There is no site "${siteKey}".` })
  return site
}

/** The form a public request names, or its `404 form_not_found` in the visitor's language. */
export async function requireForm(db: D1Database, site: Site, formId: string): Promise<Form> {
  const form = await findForm(db, site, formId)
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
