// The messages a thread has received from the other side of a worker conversation, taken one at a time in the
// order they came. Credits (flow control) are counted apart, so they can be waited for between other messages.
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

  /** Waits for a credit and uses it. */
  async credit(): Promise<void> {
    while (this.#credits === 0) await new Promise<void>((resolve) => (this.#creditWaiter = resolve));
    this.#credits -= 1;
  }

  /** The credits received and not yet used, now used. */
  takeCredits(): number {
    const n = this.#credits;
    this.#credits = 0;
    return n;
  }
}
