import { PageTitle } from '../ui'

/** Placeholder: built in issue 12 by the screen's owner. */
export function Dashboard(props: { siteKey: string; leadId?: string }) {
  return <PageTitle title="Dashboard">Dashboard {props.siteKey}</PageTitle>
}
