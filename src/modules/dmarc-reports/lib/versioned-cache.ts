// Results kept while the data they were computed from stays at the same version: a hit needs the version the
// caller reads now, so a change of the data is never answered from before it. Entries also age out, and the
// least recently used go first when the cache is full.
export class VersionedCache<T> {
  readonly #entries = new Map<string, { version: string; at: number; value: T }>();
  readonly #max: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: { max: number; maxAgeMs: number; now?: () => number }) {
    this.#max = options.max;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
  }

  get(key: string, version: string): T | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    this.#entries.delete(key);
    if (e.version !== version || this.#now() - e.at > this.#maxAgeMs) return undefined;
    this.#entries.set(key, e);
    return e.value;
  }

  set(key: string, version: string, value: T): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { version, at: this.#now(), value });
  }

  get size(): number {
    return this.#entries.size;
  }
}
