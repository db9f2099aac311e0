import { PageTitle } from '../ui'

/** Placeholder: the sign-in screen (mailed link or pasted token). */
export function SignIn(_props: { onSignedIn: () => Promise<void> }) {
  return (
    <main id="main">
      <PageTitle title="Sign in">Sign in</PageTitle>
    </main>
  )
}
