// The bridge's errors, one hierarchy: every error the bridge throws on purpose carries the HTTP status it
// answers with, a stable code, and whether its message may reach the caller (`expose`, middy's rule: only
// below 500). Atlas failures are classified apart (lib/atlas/errors.ts): they become per-event outcomes.

/** Where in the request body a problem is, as an RFC 6901 JSON pointer ('' is the whole body), and what it is. */
export interface InputProblem {
  pointer: string;
  message: string;
}

export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** A 4xx message names the caller's own mistake; a 5xx message may name variables and parameters: logged only. */
  get expose(): boolean {
    return this.status < 500;
  }
}

/**
 * A request the bridge will not accept as sent, refused before any event reaches Atlas: bad credentials (401),
 * a body that is not acceptable JSON or not a valid batch (400, 413, 415). Each problem names where.
 */
export class InputRejection extends BridgeError {
  override readonly name = 'InputRejection';
  constructor(
    override readonly status: 400 | 401 | 413 | 415,
    code: string,
    readonly problems: InputProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(status, code, problems.map((p) => `${p.pointer || '(body)'}: ${p.message}`).join('; '));
  }
}

/** The deployment is configured so that this route cannot serve: every request is a 500 until it is fixed. */
export class ConfigError extends BridgeError {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: ErrorOptions) {
    super(500, 'MISCONFIGURED', message, options);
  }
}

/** A secret could not be read (SSM down, no permission, empty): every request is a 500 until it can. */
export class SecretError extends BridgeError {
  override readonly name = 'SecretError';
  constructor(message: string, options?: ErrorOptions) {
    super(500, 'SECRETS_UNAVAILABLE', message, options);
  }
}
