// API keys for senders that cannot sign (the openlineage-flink HTTP transport's `auth.type: api_key` sends
// `Authorization: Bearer <key>`). Keys are kept as SHA-256 digests and compared digest to digest in constant
// time, so neither the length nor a prefix of a key leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthVerdict } from './verdicts.js';

const MIN_KEY_CHARS = 16;

export class ApiKeyConfigError extends Error {
  override readonly name = 'ApiKeyConfigError';
}

export const digestApiKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** Several keys in one value (rotation): separated by whitespace or commas. Returns their digests. */
export const parseApiKeys = (value: string): Buffer[] => {
  const keys = value.split(/[\s,]+/).filter((k) => k !== '');
  keys.forEach((key, i) => {
    if (key.length < MIN_KEY_CHARS) throw new ApiKeyConfigError(`API key #${i + 1} has ${key.length} characters; at least ${MIN_KEY_CHARS} are required`);
  });
  return keys.map(digestApiKey);
};

export const checkBearer = (authorization: string | undefined, keyDigests: readonly Buffer[]): AuthVerdict<null> => {
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, reason: 'MISSING_AUTHORIZATION', message: 'this route takes an API key: send Authorization: Bearer <key>' };
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (match === null) {
    return { ok: false, reason: 'NOT_BEARER', message: 'the Authorization header must be "Bearer <key>"' };
  }
  const token = match[1] ?? '';
  const digest = digestApiKey(token);
  let matched = false;
  for (const known of keyDigests) matched = timingSafeEqual(digest, known) || matched;
  return matched ? { ok: true, value: null } : { ok: false, reason: 'INVALID_API_KEY', message: 'the API key is not valid (revoked, mistyped, or for another deployment)' };
};
