// Exponential backoff with full jitter for redelivery, honouring Atlas's Retry-After when it sent one.

export interface BackoffPolicy {
  baseSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseSeconds: 5, maxSeconds: 900 };

/** SQS caps a visibility timeout change at 12 hours; we cap far lower so recovery is quick. */
export const backoffSeconds = (
  receiveCount: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number => {
  const exponential = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  const jittered = Math.ceil(exponential / 2 + random() * (exponential / 2));
  const floor = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  return Math.min(policy.maxSeconds, Math.max(1, jittered, floor));
};
