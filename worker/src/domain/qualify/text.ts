/** Lower-cased, NFC, umlauts and ß folded, so `Geschäftsführer` and `Geschaeftsfuehrer` compare equal. */
export function foldText(value: string): string {
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
}

/** A value as it appears inside a reason: one line, at most `max` characters. */
export function quoteValue(value: string, max = 60): string {
  const line = value.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
