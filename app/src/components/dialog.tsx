import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

/**
 * A modal `<dialog>`: opened with `showModal()` (the browser traps focus and Escape closes it),
 * labelled by its heading, and focus goes back to what opened it when it closes.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean
  title: string
  onClose: () => void
  children: ComponentChildren
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<Element | null>(null)
  const headingId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      opener.current = document.activeElement
      dialog.showModal()
      dialog.querySelector<HTMLElement>('input, select, textarea, button')?.focus()
    } else if (!open && dialog.open) {
      dialog.close()
    }
  }, [open])
  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      onClose={() => {
        if (opener.current instanceof HTMLElement) opener.current.focus()
        onClose()
      }}
    >
      <h2 id={headingId}>{title}</h2>
      {open && children}
    </dialog>
  )
}
