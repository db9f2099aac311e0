/**
 * A small read-through cache that lives as long as the isolate (docs/scale.md#fewer-round-trips):
 * entries expire `ttlMs` after they were loaded, at most `maxEntries` are kept (the least
 * recently used goes first), and each entry carries a tag so one write can forget everything
 * derived from the same row (a site and its forms).
 *
 * It caches the promise of a load, not only its value, so requests that miss at the same moment
 * share one query. A load that fails or finds nothing is not kept: the next request asks again.
 * Values are frozen deeply before anyone sees them, since every caller shares the same object.
 */
export interface IsolateCacheOptions {
  ttlMs: number
  maxEntries: number
  /** Milliseconds since the epoch; injectable so tests can pass the lifetime without waiting. */
  now?: () => number
}

interface Entry<V> {
  value: Promise<V | null>
  expiresAt: number
  tag: string
}

export class IsolateCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number

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
  load(key: string, tag: string, load: () => Promise<V | null>): Promise<V | null> {
    const now = this.#now()
    const found = this.#entries.get(key)
    if (found && found.expiresAt > now) {
      // Map keeps insertion order: moving a hit to the end makes the first entry the least used.
      this.#entries.delete(key)
      this.#entries.set(key, found)
      return found.value
    }
    const entry: Entry<V> = {
      value: load().then(
        (value) => {
          if (value === null) this.#drop(key, entry)
          return value === null ? null : deepFreeze(value)
        },
        (error: unknown) => {
          this.#drop(key, entry)
          throw error
        },
      ),
      expiresAt: now + this.#ttlMs,
      tag,
    }
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
    return entry.value
  }

  /**
   * Forgets every entry tagged `tag`, loads under way included: a request that started reading
   * before the write may still answer what it read, but nothing read before it stays behind.
   */
  forget(tag: string): void {
    for (const [key, entry] of this.#entries) if (entry.tag === tag) this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }

  /** Drops `key` only if it still holds `entry` (a newer load may have replaced it meanwhile). */
  #drop(key: string, entry: Entry<V>): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key)
  }
}

/** Freezes `value` and everything reachable from it, so no caller can change a shared entry. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  return value
}
