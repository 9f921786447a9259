// Deterministic ids for converted events: the same input converts to the same eventId, so a retried POST
// carries the same id through logs, the retry queue and the answer.
import { createHash } from 'node:crypto';

// The bridge's own UUID namespace (RFC 9562 §5.5). Never change it: every derived eventId would change with it.
const BRIDGE_NAMESPACE = Buffer.from('6f1c1d0e8a4b4c359a572b7e4f0d9c11', 'hex');

/** A name-based UUID version 5 (SHA-1) of the parts, within the bridge's namespace. */
export const nameBasedUuid = (...parts: readonly string[]): string => {
  const hash = createHash('sha1').update(BRIDGE_NAMESPACE).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
