// flink-atlas send <file|->: posts events to a deployed or local bridge, signed when a secret is configured, and shows
// the answers. The endpoint follows the body's kind (native, OpenLineage, Flink REST). A native array longer than
// the API takes is sent in batches, an OpenLineage array one event per request (the endpoint takes one).
// A request answered 503 (the events are neither in Atlas nor queued), 429, or not answered at all is sent again
// after the answer's Retry-After or a growing backoff: the bridge's writes are idempotent, and a signed retry keeps
// its webhook-id (Standard Webhooks), so a first attempt that did land is answered from the bridge's replay cache.
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { parseRetryAfter } from '../../lib/atlas/errors.js';
import { detectBodyKind, ENDPOINT_OF, type BodyKind } from '../../lib/contract/bodyKind.js';
import { MAX_EVENTS_PER_REQUEST } from '../../lib/contract/index.js';
import { signatureHeaders, type SenderAuth } from '../auth.js';
import { plural } from '../format.js';
import { result, usage, type CommandResult } from '../result.js';

export interface SendOptions {
  /** The bridge's base URL, e.g. http://127.0.0.1:3000 or https://<api-id>.execute-api.<region>.amazonaws.com */
  baseUrl: string;
  auth: SenderAuth;
  kind?: BodyKind;
  /** `?cluster=` for Flink REST bodies. */
  cluster?: string;
  /** Events per request for native arrays (at most the API's 500). */
  batchSize?: number;
  timeoutMs?: number;
  /** Times a request is sent again after a 503, a 429 or no answer (default 3; 0 never). */
  retries?: number;
  /** The longest wait before a retry, whatever Retry-After says (default 60 s). */
  maxRetryWaitMs?: number;
  onProgress?: (done: number, total: number) => void;
  /** Told before each wait, for the operator (the CLI prints it on stderr). */
  onRetry?: (notice: string) => void;
  /** How to wait: the tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_SEND_RETRIES = 3;
const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
const FIRST_BACKOFF_MS = 1_000;

interface Request {
  label: string;
  url: string;
  body: string;
}

interface Answer {
  request: Request;
  status?: number;
  text: string;
  retryAfter?: string;
  error?: string;
  /** How many times it was sent. */
  attempts: number;
}

const withQuery = (url: string, cluster: string | undefined): string =>
  cluster === undefined ? url : `${url}?cluster=${encodeURIComponent(cluster)}`;

/** The requests a file becomes: the bytes as they are for one request, re-serialised slices for several. */
export const planRequests = (text: string, options: Pick<SendOptions, 'baseUrl' | 'kind' | 'cluster' | 'batchSize'>): { kind: BodyKind; requests: Request[] } => {
  const base = options.baseUrl.replace(/\/+$/, '');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: send it as it is, the API says what is wrong with it.
    const kind = options.kind ?? 'native';
    return { kind, requests: [{ label: 'the file', url: withQuery(base + ENDPOINT_OF[kind], options.cluster), body: text }] };
  }
  const kind = options.kind ?? detectBodyKind(body).kind;
  const url = withQuery(base + ENDPOINT_OF[kind], kind === 'flink-rest' ? options.cluster : undefined);
  if (Array.isArray(body) && kind === 'openlineage') {
    return { kind, requests: body.map((item, i) => ({ label: `event ${i + 1}/${body.length}`, url, body: JSON.stringify(item) })) };
  }
  const batchSize = Math.min(options.batchSize ?? MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST);
  if (Array.isArray(body) && kind === 'native' && body.length > batchSize) {
    const requests: Request[] = [];
    for (let start = 0; start < body.length; start += batchSize) {
      const end = Math.min(body.length, start + batchSize);
      requests.push({ label: `events ${start + 1}-${end} of ${body.length}`, url, body: JSON.stringify(body.slice(start, end)) });
    }
    return { kind, requests };
  }
  return { kind, requests: [{ label: 'the file', url, body: text }] };
};

const headersFor = (body: string, auth: SenderAuth, webhookId: string): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'flink-atlas-cli',
  ...(auth.mode === 'signing' ? signatureHeaders(body, auth.secret, { id: webhookId }) : {}),
  ...(auth.mode === 'api-key' ? { authorization: `Bearer ${auth.apiKey}` } : {}),
});

type Attempt = Omit<Answer, 'attempts'>;

/** One attempt, signed afresh (a new timestamp) under the request's webhook-id. */
const postOnce = async (request: Request, options: SendOptions, webhookId: string): Promise<Attempt> => {
  try {
    const response = await axios.post<string>(request.url, request.body, {
      headers: headersFor(request.body, options.auth, webhookId),
      timeout: options.timeoutMs ?? 60_000,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: string) => data,
      maxRedirects: 0,
    });
    const retryAfter = response.headers['retry-after'] as string | undefined;
    return { request, status: response.status, text: response.data ?? '', ...(retryAfter === undefined ? {} : { retryAfter }) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { request, text: '', error: `${code ?? 'error'}: ${(error as Error).message}` };
  }
};

/** 503: neither in Atlas nor queued; 429: throttled; no answer: it may or may not have landed. Others are final. */
const worthRetrying = (attempt: Attempt): boolean => attempt.status === undefined || attempt.status === 503 || attempt.status === 429;

/** The wait before retry number `retry` (1-based): Retry-After when given, else 1 s, 2 s, 4 s…; capped either way. */
export const retryWaitMs = (attempt: Pick<Attempt, 'retryAfter'>, retry: number, maxMs: number): number =>
  Math.min(maxMs, parseRetryAfter(attempt.retryAfter) ?? FIRST_BACKOFF_MS * 2 ** (retry - 1));

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const post = async (request: Request, options: SendOptions): Promise<Answer> => {
  const retries = options.retries ?? DEFAULT_SEND_RETRIES;
  const webhookId = `msg_${randomUUID()}`;
  let attempt = await postOnce(request, options, webhookId);
  let attempts = 1;
  while (attempts <= retries && worthRetrying(attempt)) {
    const waitMs = retryWaitMs(attempt, attempts, options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS);
    const seconds = Number((waitMs / 1000).toFixed(1));
    options.onRetry?.(`${request.label}: ${attempt.status ?? attempt.error}; sending again in ${seconds} s (retry ${attempts} of ${retries})`);
    await (options.sleep ?? sleepFor)(waitMs);
    attempt = await postOnce(request, options, webhookId);
    attempts += 1;
  }
  return { ...attempt, attempts };
};

const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** `written 3, queued 1` from the answer's summary, when it has one. */
const summaryOf = (text: string): string => {
  try {
    const body = JSON.parse(text) as { summary?: Record<string, number>; skipped?: boolean; error?: string };
    if (body.summary !== undefined) return Object.entries(body.summary).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    if (body.skipped === true) return 'skipped';
    return body.error ?? '';
  } catch {
    return '';
  }
};

const STATUS_HINTS: Readonly<Record<number, string>> = {
  202: 'Atlas failed in a retryable way: the events are in the retry queue and will be written (`flink-atlas doctor`)',
  400: 'nothing was accepted: `flink-atlas map <file>` explains each problem without sending',
  401: 'the bridge refused the request (see the reason above): check WEBHOOK_SECRET or BRIDGE_API_KEY against its WEBHOOK_SECRETS / API_KEYS',
  403: 'the bridge refused the request (see the reason above): check WEBHOOK_SECRET or BRIDGE_API_KEY against its WEBHOOK_SECRETS / API_KEYS',
  404: 'no such endpoint: is the URL the bridge\'s base URL (without /flink/events)?',
  502: 'Atlas rejected the entities: the events are in the dead-letter queue (`flink-atlas dlq list`)',
  503: 'neither in Atlas nor queued, after every retry: resend later (Retry-After; --retries, --max-retry-wait); `flink-atlas doctor` checks Atlas and the queues',
};

const attemptsOf = (answer: Answer): string => (answer.attempts > 1 ? ` (after ${answer.attempts} attempts)` : '');

export const sendBody = async (text: string, options: SendOptions): Promise<CommandResult> => {
  if (!/^https?:\/\//.test(options.baseUrl)) return usage(`--url must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`, 'send');
  const { kind, requests } = planRequests(text, options);
  const answers: Answer[] = [];
  for (const request of requests) {
    answers.push(await post(request, options));
    options.onProgress?.(answers.length, requests.length);
  }
  const ok = (a: Answer) => a.status !== undefined && a.status >= 200 && a.status < 300;
  const auth = options.auth.description;
  const lines: string[] = [];
  if (requests.length === 1) {
    const [answer] = answers as [Answer];
    lines.push(`POST ${answer.request.url} (${kind}, ${auth}) → ${answer.status ?? answer.error}${attemptsOf(answer)}`);
    if (answer.text !== '') lines.push(pretty(answer.text));
  } else {
    lines.push(`POST ${requests[0]?.url} (${kind}, ${auth}): ${plural(requests.length, 'request')}`);
    for (const answer of answers) {
      lines.push(`  ${answer.request.label}: ${answer.status ?? answer.error}${attemptsOf(answer)}${answer.status === undefined ? '' : `  ${summaryOf(answer.text)}`}`);
      if (!ok(answer) && answer.text !== '') lines.push(...pretty(answer.text).split('\n').map((l) => `    ${l}`));
    }
  }
  const failed = answers.filter((a) => !ok(a));
  const notes: string[] = [];
  for (const status of new Set(answers.map((a) => a.status))) {
    const hint = status === undefined ? undefined : STATUS_HINTS[status];
    if (hint !== undefined) notes.push(`${status}: ${hint}`);
  }
  if (answers.some((a) => a.error !== undefined)) notes.push('no answer: is the bridge running there? (`npm start` prints its URL; --url or BRIDGE_URL)');
  const retryAfter = answers.find((a) => a.retryAfter !== undefined)?.retryAfter;
  if (retryAfter !== undefined) notes.push(`Retry-After: ${retryAfter} s`);
  if (requests.length > 1) lines.push(failed.length === 0 ? `All ${requests.length} requests answered 2xx.` : `${failed.length} of ${requests.length} requests failed.`);
  return result(failed.length === 0 ? 0 : 1, `${lines.join('\n')}\n`, notes.length > 0 ? `${notes.map((n) => `note: ${n}`).join('\n')}\n` : '');
};
