import type { ComponentChildren } from 'preact'
import './table-alternative.css'

/**
 * A chart's table alternative (docs/app.md#dashboard): folded under `summary`, in
 * a labelled, focusable region that scrolls sideways on a phone, with `caption`
 * naming the table. `children` are the table's head and body.
 */
export function TableAlternative(props: {
  summary: string
  label: string
  caption: string
  children: ComponentChildren
}) {
  return (
    <details class="chart-table">
      <summary>{props.summary}</summary>
      <div class="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
        <table>
          <caption>{props.caption}</caption>
          {props.children}
        </table>
      </div>
    </details>
  )
}
