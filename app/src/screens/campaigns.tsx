import { PageTitle } from '../ui'

/** Placeholder: built in issue 12 by the screen's owner. */
export function Campaigns(props: { siteKey: string; leadId?: string }) {
  return <PageTitle title="Campaigns">Campaigns {props.siteKey}</PageTitle>
}
