/**
 * A small read-through cache that lives as long as the isolate (docs/scale.md#fewer-round-trips):
 * entries expire `ttlMs` after they were loaded, at most `maxEntries` are kept (the least
 * recently used goes first), and each entry carries a tag so one write can forget everything
 * derived from the same row (a site and its forms).
 *
 * It keeps loaded values, never a load under way: Workers refuse to let one request await I/O
 * that another request started, so requests that miss at the same moment each read once. A load
 * that fails or finds nothing is not kept: the next request asks again.
 * Values are frozen deeply before anyone sees them, since every caller shares the same object.
 */
export interface IsolateCacheOptions {
  ttlMs: number
  maxEntries: number
  /** Milliseconds since the epoch; injectable so tests can pass the lifetime without waiting. */
  now?: () => number
}

interface Entry<V> {
  value: V
  expiresAt: number
  tag: string
}

export class IsolateCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number
  /** Counts `forget` calls, so a load that a write overtook is answered but not kept. */
  #forgets = 0

  constructor(options: IsolateCacheOptions) {
    this.#ttlMs = options.ttlMs
    this.#maxEntries = options.maxEntries
    this.#now = options.now ?? Date.now
  }

  /** The entries kept, expired ones included until they are next asked for. */
  get size(): number {
    return this.#entries.size
  }

  /** The value under `key`, loaded with `load` when it is missing or expired. */
  async load(key: string, tag: string, load: () => Promise<V | null>): Promise<V | null> {
    const now = this.#now()
    const found = this.#entries.get(key)
    if (found && found.expiresAt > now) {
      // Map keeps insertion order: moving a hit to the end makes the first entry the least used.
      this.#entries.delete(key)
      this.#entries.set(key, found)
      return found.value
    }
    const forgets = this.#forgets
    const loaded = await load()
    if (loaded === null) {
      this.#entries.delete(key)
      return null
    }
    const value = deepFreeze(loaded)
    if (forgets !== this.#forgets) return value
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt: now + this.#ttlMs, tag })
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
    return value
  }

  /**
   * Forgets every entry tagged `tag`, loads under way included: a request that started reading
   * before the write may still answer what it read, but nothing read before it stays behind.
   */
  forget(tag: string): void {
    this.#forgets++
    for (const [key, entry] of this.#entries) if (entry.tag === tag) this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}

/** Freezes `value` and everything reachable from it, so no caller can change a shared entry. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  return value
}
