export { RetryQueue, QueueError, messageAttributes, attributeOf } from './retryQueue.js';
export type { QueueName, QueueUrls, SqsClientSource } from './retryQueue.js';
export { retryMessageBodySchema, summarize, toBodies, MAX_BODY_BYTES } from './messages.js';
export type { MessageStage, OutgoingMessage, RetryMessageBody, MessageSummary } from './messages.js';
export { backoffSeconds, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { listDeadLetters, peekDeadLetters, redriveDeadLetters, parseFilter, matches, toRow } from './deadLetters.js';
export type { DeadLetterFilter, DeadLetterRow, RedriveOptions, RedriveReport } from './deadLetters.js';
