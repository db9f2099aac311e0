import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiError } from './api'
import { defineTexts, useTexts } from './i18n'

const TEXTS = defineTexts({
  loading: { de: 'Wird geladen …', en: 'Loading …' },
  failed: { de: 'Das hat nicht geklappt.', en: 'That did not work.' },
  forbidden: {
    de: 'Ihre Rolle erlaubt das auf dieser Website nicht.',
    en: 'Your role does not allow this on this site.',
  },
  notFound: { de: 'Nicht gefunden.', en: 'Not found.' },
  retry: { de: 'Erneut versuchen', en: 'Try again' },
})

/** The screen's heading and the document title, so a tab and a screen reader say where one is. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} · Lodestone`
  }, [title])
  return <h1>{children}</h1>
}

export type Loadable<T> =
  { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'done'; value: T }

/**
 * Loads what `load` answers whenever `deps` change; a newer load wins over an older one still
 * under way. `reload` loads again (after a change the screen made).
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
): [Loadable<T>, () => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' })
  const [round, setRound] = useState(0)
  useEffect(() => {
    const controller = new AbortController()
    setResult((previous) => (previous.state === 'done' ? previous : { state: 'loading' }))
    load(controller.signal).then(
      (value) => controller.signal.aborted || setResult({ state: 'done', value }),
      (error) => controller.signal.aborted || setResult({ state: 'error', error }),
    )
    return () => controller.abort()
  }, [...deps, round])
  return [result, () => setRound((n) => n + 1)]
}

/** What went wrong, in words: the API's detail where it has one. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useTexts(TEXTS)
  const message =
    error instanceof ApiError
      ? error.status === 403
        ? t.forbidden
        : error.status === 404
          ? t.notFound
          : (error.problem.detail ?? t.failed)
      : t.failed
  return (
    <div class="error-note" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  )
}

export function Loading() {
  const t = useTexts(TEXTS)
  return (
    <p class="loading" role="status">
      {t.loading}
    </p>
  )
}

/** Renders `children(value)` once loaded, else the loading line or the error. */
export function Loaded<T>({
  value,
  onRetry,
  children,
}: {
  value: Loadable<T>
  onRetry?: () => void
  children: (value: T) => ComponentChildren
}) {
  if (value.state === 'loading') return <Loading />
  if (value.state === 'error') return <ErrorNote error={value.error} onRetry={onRetry} />
  return <>{children(value.value)}</>
}
