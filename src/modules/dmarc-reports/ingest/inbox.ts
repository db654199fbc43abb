// The messages a thread has received from the other side of a worker conversation, taken one at a time in the
// order they came. Credits (flow control) are counted apart, so they can be waited for between other messages.
/**
 * How far a parser worker may read ahead of the importing thread, over all its files, in units of up to 250
 * records: a report or a batch counts for its records, at least one unit.
 */
export const WINDOW = 64;
export const unitsOf = (records: number): number => Math.max(1, Math.ceil(records / 250));

export class Inbox<T extends { type: string; n?: number }> {
  readonly #queue: T[] = [];
  #waiter: ((m: T) => void) | null = null;
  #credits = 0;
  #creditWaiter: (() => void) | null = null;

  push(message: T): void {
    if (message.type === 'credit') {
      this.#credits += message.n ?? 1;
      const w = this.#creditWaiter;
      this.#creditWaiter = null;
      w?.();
      return;
    }
    const w = this.#waiter;
    if (w) {
      this.#waiter = null;
      w(message);
    } else this.#queue.push(message);
  }

  /** The next message (credits aside). */
  take(): Promise<T> {
    const m = this.#queue.shift();
    if (m) return Promise.resolve(m);
    if (this.#waiter) throw new Error('one reader at a time');
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  /** The next message if there is one already (credits aside). */
  poll(): T | undefined {
    return this.#queue.shift();
  }

  /** Waits for credits and uses them all: how many. */
  async credit(): Promise<number> {
    while (this.#credits === 0) await new Promise<void>((resolve) => (this.#creditWaiter = resolve));
    return this.takeCredits();
  }

  /** The credits received and not yet used, now used. */
  takeCredits(): number {
    const n = this.#credits;
    this.#credits = 0;
    return n;
  }
}
