import { PageTitle } from '../ui'

/** Placeholder: built in issue 12 by the screen's owner. */
export function Leads(props: { siteKey: string; leadId?: string }) {
  return <PageTitle title="Leads">Leads {props.siteKey}</PageTitle>
}
