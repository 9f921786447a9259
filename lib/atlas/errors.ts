// Atlas failures, classified once, here: the rest of the code only asks `retryable`.
import type { AtlasErrorBody } from './model.js';

/**
 * - `retryable`: Atlas down, slow, throttling or a connection broke; the same write can succeed later.
 * - `auth`: Atlas or a proxy refused our credentials; a configuration error to report loudly. Retried,
 *   because rotating proxies (Knox) answer 401/403 for a while after a credential change.
 * - `permanent`: Atlas rejected the request itself (validation, unknown type); retrying cannot help.
 */
export type AtlasFailureKind = 'retryable' | 'auth' | 'permanent';

/** What became of an event whose write failed, as it travels in answers and queued messages. */
export interface WriteFailure {
  kind: AtlasFailureKind;
  message: string;
  status?: number;
  atlasCode?: string;
  retryAfterMs?: number;
  /** The failed write re-added lineage links and may have been applied: its retry must verify them. */
  verifyLineage?: boolean;
}

export class AtlasError extends Error {
  override readonly name = 'AtlasError';
  constructor(
    message: string,
    readonly kind: AtlasFailureKind,
    readonly details: {
      status?: number;
      /** Atlas's own code, e.g. ATLAS-404-00-007. */
      atlasCode?: string;
      atlasMessage?: string;
      /** From a Retry-After header, in ms. */
      retryAfterMs?: number;
      /** The network error code (ECONNRESET, ECONNABORTED...) when there was no answer. */
      networkCode?: string;
    } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get retryable(): boolean {
    return this.kind !== 'permanent';
  }
}

export const isAtlasErrorBody = (body: unknown): body is AtlasErrorBody =>
  typeof body === 'object' && body !== null && typeof (body as AtlasErrorBody).errorCode === 'string';

/** Retry-After is either delta-seconds or an HTTP date. */
export const parseRetryAfter = (header: unknown, now = Date.now()): number | undefined => {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
};

const describeBody = (body: unknown): string => {
  if (isAtlasErrorBody(body)) return `${body.errorCode}: ${body.errorMessage}`;
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    return (body as { error: string }).error;
  }
  if (typeof body === 'string') return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
  return '';
};

/** Classifies an HTTP answer from Atlas that was not a success. */
export const atlasErrorFromResponse = (
  operation: string,
  status: number,
  body: unknown,
  headers: Record<string, unknown>,
): AtlasError => {
  const text = describeBody(body);
  const details = {
    status,
    ...(isAtlasErrorBody(body) ? { atlasCode: body.errorCode, atlasMessage: body.errorMessage } : {}),
    ...(() => {
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      return retryAfterMs === undefined ? {} : { retryAfterMs };
    })(),
  };
  const message = `Atlas ${operation} failed with HTTP ${status}${text ? `: ${text}` : ''}`;
  if (status === 401 || status === 403 || status === 407 || status === 419) {
    return new AtlasError(`${message} (check ATLAS_USER / ATLAS_PASSWORD and any proxy in front of Atlas)`, 'auth', details);
  }
  if (status >= 500 || status === 429 || status === 408) return new AtlasError(message, 'retryable', details);
  if (status >= 300 && status < 400) {
    return new AtlasError(`${message} (a redirect: is ATLAS_URL pointing at a login page?)`, 'auth', details);
  }
  return new AtlasError(message, 'permanent', details);
};

/** Classifies a failure where no HTTP answer came back (timeout, reset, refused). */
export const atlasErrorFromNetwork = (operation: string, code: string | undefined, cause: unknown): AtlasError =>
  new AtlasError(
    `Atlas ${operation} got no answer (${code ?? 'network error'})`,
    'retryable',
    code === undefined ? {} : { networkCode: code },
    { cause },
  );
