import { useRef, useState } from 'preact/hooks'
import { defineTexts, useTexts } from '../i18n'
import './copy-block.css'

const TEXTS = defineTexts({
  copy: { de: 'Kopieren', en: 'Copy' },
  copied: { de: 'Kopiert.', en: 'Copied.' },
  selected: {
    de: 'Der Text ist markiert; kopieren Sie ihn mit Strg+C (⌘C am Mac).',
    en: 'The text is selected; copy it with Ctrl+C (⌘C on a Mac).',
  },
})

/**
 * A read-only code block with a Copy button. The button writes to the clipboard where the browser
 * lets it (`navigator.clipboard` needs a secure context and, in some browsers, a permission);
 * otherwise it selects the text, so the keyboard's copy takes it. Either way a live region says
 * what happened. `what` ends the button's accessible name ("Copy" + what).
 */
export function CopyBlock({ code, what, label }: { code: string; what: string; label: string }) {
  const t = useTexts(TEXTS)
  const block = useRef<HTMLPreElement>(null)
  const [status, setStatus] = useState('')

  const select = () => {
    const node = block.current
    const selection = window.getSelection()
    if (!node || !selection) return
    const range = document.createRange()
    range.selectNodeContents(node)
    selection.removeAllRanges()
    selection.addRange(range)
    node.focus()
  }
  const copy = async () => {
    setStatus('')
    try {
      await navigator.clipboard.writeText(code)
      setStatus(t.copied)
    } catch {
      select()
      setStatus(t.selected)
    }
  }

  return (
    <div class="copy-block">
      <pre tabIndex={0} role="region" aria-label={label} ref={block}>
        <code>{code}</code>
      </pre>
      <div class="copy-block-actions">
        <button type="button" class="secondary" onClick={copy}>
          {t.copy}
          <span class="visually-hidden"> {what}</span>
        </button>
        <span class="copy-block-status" role="status" aria-live="polite">
          {status}
        </span>
      </div>
    </div>
  )
}
