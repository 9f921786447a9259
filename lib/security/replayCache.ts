// Recent webhook-ids of this container and the answer each got: a redelivery of the same signed request
// (same id, same body) inside the tolerance window is answered as the first was, without a second write.
// This is a fast path only. Another container does not see this cache; there a replay is written again, and
// changes nothing, because every write is a last-writer-wins register join (docs/delivery.md).
import { createHash } from 'node:crypto';

export interface CachedAnswer<R> {
  bodyDigest: string;
  answer: R;
  expiresAt: number;
}

export const bodyDigest = (body: Uint8Array): string => createHash('sha256').update(body).digest('base64');

export class ReplayCache<R> {
  readonly #entries = new Map<string, CachedAnswer<R>>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly ttlMs = 10 * 60 * 1000,
  ) {}

  /** The answer given to this id and body, while it is fresh. A different body under the same id is not a replay. */
  get(id: string, digest: string, nowMs: number): R | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.bodyDigest === digest ? entry.answer : undefined;
  }

  set(id: string, digest: string, answer: R, nowMs: number): void {
    this.#entries.delete(id);
    this.#entries.set(id, { bodyDigest: digest, answer, expiresAt: nowMs + this.ttlMs });
    // Map keeps insertion order: the first key is the oldest.
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
