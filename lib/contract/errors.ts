import type { InputProblem } from './parseBatch.js';

export type InputErrorCode =
  | 'INVALID_JSON'
  | 'EMPTY_BATCH'
  | 'TOO_MANY_EVENTS'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_CONTENT_ENCODING'
  | 'INVALID_PARAMETER'
  | 'INVALID_EVENT';

/** A request the bridge will not accept as sent: answered with a 4xx that names each problem and where. */
export class BridgeInputError extends Error {
  override readonly name = 'BridgeInputError';
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: InputErrorCode,
    readonly problems: InputProblem[],
  ) {
    super(problems.map((p) => `${p.pointer || '(body)'}: ${p.message}`).join('; '));
  }
}
