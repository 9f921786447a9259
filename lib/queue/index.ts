export { RetryQueue, QueueError, messageAttributes } from './retryQueue.js';
export type { QueueName, QueueUrls, SqsClientSource } from './retryQueue.js';
export { retryMessageBodySchema, summarize, toBodies, MAX_BODY_BYTES } from './messages.js';
export type { MessageStage, OutgoingMessage, RetryMessageBody } from './messages.js';
export { backoffSeconds } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { listDeadLetters, peekDeadLetters, redriveDeadLetters, parseFilter, matches, toRow } from './deadLetters.js';
export type { DeadLetterFilter, DeadLetterRow, RedriveOptions, RedriveReport } from './deadLetters.js';
