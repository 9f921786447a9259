// flink-atlas dlq list|show|redrive: the dead-letter queue operations of lib/queue under the CLI.
import {
  listDeadLetters, parseFilter, peekDeadLetters, redriveDeadLetters, retryMessageBodySchema, toRow,
  type DeadLetterRow, type RetryQueue,
} from '../../lib/queue/index.js';
import { plural, table } from '../format.js';
import { result, usage, type CommandResult } from '../result.js';

const rowsTable = (rows: readonly DeadLetterRow[]): string => {
  const lines = rows.flatMap((r) =>
    (r.eventIds.length > 0 ? r.eventIds : ['(undecodable)']).map((eventId) => [
      eventId, r.jobName, r.status ?? '', r.errorCode ?? '', r.firstFailureAt ?? '', String(r.receiveCount), r.errorMessage ?? '',
    ]),
  );
  return table(['event id', 'job', 'status', 'error code', 'first failure', 'receives', 'error'], lines);
};

export const dlqList = async (queue: RetryQueue, options: { max?: number; json?: boolean } = {}): Promise<CommandResult> => {
  const rows = await listDeadLetters(queue, options.max ?? 1000);
  if (options.json === true) return result(0, `${JSON.stringify(rows, null, 2)}\n`);
  if (rows.length === 0) return result(0, 'The dead-letter queue is empty.\n');
  const events = rows.reduce((n, r) => n + Math.max(1, r.eventIds.length), 0);
  return result(0, `${rowsTable(rows)}\n\n${plural(rows.length, 'message')}, ${plural(events, 'event')}. ` +
    '`flink-atlas dlq show <event id>` shows one; `flink-atlas dlq redrive` moves them back once the cause is fixed.\n');
};

/** One dead letter, found by message id or by one of its event ids: its reason and its events as they will be retried. */
export const dlqShow = async (queue: RetryQueue, id: string, options: { json?: boolean } = {}): Promise<CommandResult> => {
  const messages = await peekDeadLetters(queue, 10_000);
  const found = messages.filter((m) => m.MessageId === id || toRow(m).eventIds.includes(id));
  if (found.length === 0) return result(1, '', `No dead letter has message id or event id ${id} (\`flink-atlas dlq list\` lists them).\n`);
  const shown = found.map((message) => {
    const row = toRow(message);
    let body: unknown = message.Body;
    try {
      const parsed = retryMessageBodySchema().safeParse(JSON.parse(message.Body ?? ''));
      body = parsed.success ? parsed.data : JSON.parse(message.Body ?? '');
    } catch {
      // An undecodable body is shown as the text it is.
    }
    return { row, body };
  });
  if (options.json === true) return result(0, `${JSON.stringify(shown, null, 2)}\n`);
  const text = shown.map(({ row, body }) =>
    [
      `message ${row.messageId}`,
      `  job:            ${row.jobName}${row.jobId === undefined ? '' : ` (run ${row.jobId})`}`,
      `  status:         ${row.status ?? '-'}`,
      `  events:         ${row.eventIds.join(', ') || '(undecodable)'}`,
      `  error:          ${row.errorCode ?? '-'}${row.errorMessage === undefined ? '' : `: ${row.errorMessage}`}`,
      `  first failure:  ${row.firstFailureAt ?? '-'}`,
      `  receives:       ${row.receiveCount}`,
      '  body:',
      ...(typeof body === 'string' ? body : JSON.stringify(body, null, 2)).split('\n').map((l) => `    ${l}`),
    ].join('\n'),
  );
  return result(0, `${text.join('\n\n')}\n`);
};

export interface RedriveCliOptions {
  dryRun?: boolean;
  max?: number;
  filters?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

export const dlqRedrive = async (queue: RetryQueue, options: RedriveCliOptions = {}): Promise<CommandResult> => {
  let filter;
  try {
    filter = parseFilter(options.filters ?? []);
  } catch (error) {
    return usage((error as Error).message, 'dlq redrive');
  }
  const report = await redriveDeadLetters(queue, {
    dryRun: options.dryRun ?? false,
    max: options.max ?? 1000,
    filter,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const rows = report.moved.map((r) => [r.eventIds.join(','), r.jobName, r.errorCode ?? '']);
  const lines = [
    ...(rows.length > 0 ? [table(['event ids', 'job', 'error code'], rows), ''] : []),
    `${report.dryRun ? 'Would move' : 'Moved'} ${plural(report.moved.length, 'message')} to the retry queue; kept ${report.kept.length} undecodable.`,
  ];
  return result(0, `${lines.join('\n')}\n`);
};

/** What SQS failures look like: the SDK's service errors carry $metadata, network errors a Node error code. */
const isQueueError = (error: unknown): error is Error => error instanceof Error && ('$metadata' in error || 'code' in error);

/** A queue that cannot be reached or read (endpoint, credentials, queue URL) as the command's answer, exit 1; other errors are rethrown. */
export const queueFailure = (command: string, error: unknown): CommandResult => {
  if (!isQueueError(error)) throw error;
  const detail = 'code' in error && typeof error.code === 'string' && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message || error.name;
  return result(1, '', `${command} failed: the queues did not answer (${detail}); check RETRY_QUEUE_URL, DEAD_LETTER_QUEUE_URL and AWS_ENDPOINT_URL_SQS (\`flink-atlas doctor\` checks)\n`);
};
