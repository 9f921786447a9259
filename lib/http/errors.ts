// A request refused at the edge, before its events are looked at: bad credentials (401), a body that is not
// acceptable JSON (400, 413, 415). Each problem names where, as a JSON pointer ('' is the whole body).
import type { InputProblem } from '../contract/index.js';

export class HttpRejection extends Error {
  override readonly name = 'HttpRejection';
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    readonly code: string,
    readonly problems: InputProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(problems.map((p) => `${p.pointer || '(body)'}: ${p.message}`).join('; '));
  }
}
