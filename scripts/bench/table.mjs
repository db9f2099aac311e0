/** Markdown tables and number formats for the bench report. */

/** A Markdown table; cells are stringified and `|` escaped. */
export function markdownTable(headers, rows) {
  const cell = (value) => String(value).replaceAll('|', '\\|')
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n')
}

/** Rates and milliseconds: whole numbers from 100 up, one decimal below. */
export function whole(value) {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)
}

/** Latencies as autocannon reports them (whole milliseconds), with one decimal where it has one. */
export function fixed(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/** `a / b` as `0.42×`; a dash where the baseline is zero. */
export function ratio(value, baseline) {
  return baseline > 0 ? `${(value / baseline).toFixed(2)}×` : '—'
}
