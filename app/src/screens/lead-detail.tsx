import { PageTitle } from '../ui'

/** Placeholder: built in issue 12 by the screen's owner. */
export function LeadDetail(props: { siteKey: string; leadId?: string }) {
  return <PageTitle title="LeadDetail">LeadDetail {props.siteKey}</PageTitle>
}
