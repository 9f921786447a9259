// What a credential check answers. Reasons are stable codes (they go into 401 bodies and metrics); messages
// say what to fix and never hold a secret, a signature or an Authorization header.
export type AuthFailureReason =
  | 'MISSING_SIGNATURE_HEADERS'
  | 'INVALID_WEBHOOK_ID'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_TOO_NEW'
  | 'INVALID_SIGNATURE_HEADER'
  | 'SIGNATURE_MISMATCH'
  | 'MISSING_CREDENTIALS'
  | 'MISSING_AUTHORIZATION'
  | 'NOT_BEARER'
  | 'INVALID_API_KEY';

export type AuthVerdict<T> = { ok: true; value: T } | { ok: false; reason: AuthFailureReason; message: string };
