/** Times are ISO 8601 UTC strings with milliseconds, as stored in D1. */
export function nowIso(date = new Date()): string {
  return date.toISOString()
}

/** `YYYY-MM-DD` in UTC. */
export function utcDay(date = new Date()): string {
  return date.toISOString().slice(0, 10)
}
