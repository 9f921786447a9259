// flink-atlas send: how a file is cut into requests, and where each goes.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SenderAuth } from '../../cli/auth.js';
import { planRequests, retryWaitMs, sendBody } from '../../cli/commands/send.js';
import { parseRetryAfter } from '../../lib/atlas/errors.js';
import { parseWebhookSecret, signWebhook } from '../../lib/security/standardWebhooks.js';

describe('send: the requests a file becomes', () => {
  it('keeps one body as it is, splits native arrays by 500 and OpenLineage arrays by event', () => {
    expect(planRequests('{"type":"job.status"}', { baseUrl: 'http://b/' }).requests).toEqual([{ label: 'the file', url: 'http://b/flink/events', body: '{"type":"job.status"}' }]);
    const many = JSON.stringify(Array.from({ length: 1001 }, () => ({ type: 'job.status' })));
    expect(planRequests(many, { baseUrl: 'http://b' }).requests.map((r) => r.label)).toEqual(['events 1-500 of 1001', 'events 501-1000 of 1001', 'events 1001-1001 of 1001']);
    const ol = JSON.stringify([{ run: {}, job: {} }, { run: {}, job: {} }]);
    expect(planRequests(ol, { baseUrl: 'http://b' }).requests.map((r) => r.url)).toEqual(['http://b/api/v1/lineage', 'http://b/api/v1/lineage']);
    expect(planRequests('{"jid":"x"}', { baseUrl: 'http://b', cluster: 'flink prod' }).requests[0]?.url).toBe('http://b/flink/jobs?cluster=flink%20prod');
    expect(planRequests('not json', { baseUrl: 'http://b' }).requests[0]?.body).toBe('not json');
  });
});

describe('send: retries', () => {
  interface Seen {
    headers: IncomingHttpHeaders;
    body: string;
  }
  /** A bridge stand-in on 127.0.0.1 answering from `script` in turn (the last answer repeats). */
  const bridge = async (script: { status: number; headers?: Record<string, string>; body?: string }[]) => {
    const seen: Seen[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        const answer = script[Math.min(seen.length - 1, script.length - 1)]!;
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body ?? JSON.stringify({ summary: { written: 1 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  };
  const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
  const signing: SenderAuth = { mode: 'signing', secret, description: 'signed' };
  const body = '{"type":"job.status"}';

  it('sends a 503 again after its Retry-After, under the same webhook-id, signed afresh', async () => {
    const b = await bridge([{ status: 503, headers: { 'retry-after': '2' }, body: '{"error":"ATLAS_UNAVAILABLE"}' }, { status: 200 }]);
    const waits: number[] = [];
    const notices: string[] = [];
    try {
      const outcome = await sendBody(body, { baseUrl: b.url, auth: signing, sleep: async (ms) => void waits.push(ms), onRetry: (n) => notices.push(n) });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).toContain('→ 200 (after 2 attempts)');
      expect(waits).toEqual([2000]);
      expect(notices).toEqual(['the file: 503; sending again in 2 s (retry 1 of 3)']);
      expect(b.seen).toHaveLength(2);
      const [first, second] = b.seen as [Seen, Seen];
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      for (const { headers } of b.seen) {
        const id = String(headers['webhook-id']);
        const timestamp = Number(headers['webhook-timestamp']);
        expect(headers['webhook-signature']).toBe(signWebhook(parseWebhookSecret(secret), id, timestamp, body));
      }
    } finally {
      await b.close();
    }
  });

  it('backs off 1 s, 2 s, … without Retry-After, caps any wait, and fails once the retries are spent', async () => {
    const b = await bridge([{ status: 503, body: '{"error":"ATLAS_UNAVAILABLE"}' }]);
    const waits: number[] = [];
    try {
      const outcome = await sendBody(body, { baseUrl: b.url, auth: signing, retries: 2, sleep: async (ms) => void waits.push(ms) });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout).toContain('→ 503 (after 3 attempts)');
      expect(outcome.stderr).toContain('503: neither in Atlas nor queued, after every retry');
      expect(waits).toEqual([1000, 2000]);
      expect(b.seen).toHaveLength(3);
      expect(new Set(b.seen.map((s) => s.headers['webhook-id'])).size).toBe(1);
    } finally {
      await b.close();
    }
    const capped = await bridge([{ status: 429, headers: { 'retry-after': '3600' } }, { status: 200 }]);
    const cappedWaits: number[] = [];
    try {
      await sendBody(body, { baseUrl: capped.url, auth: signing, maxRetryWaitMs: 30_000, sleep: async (ms) => void cappedWaits.push(ms) });
      expect(cappedWaits).toEqual([30_000]);
    } finally {
      await capped.close();
    }
  });

  it('never resends a final answer (2xx, 400, 401, 502), nor anything with --retries 0', async () => {
    for (const status of [200, 202, 400, 401, 502]) {
      const b = await bridge([{ status }]);
      try {
        await sendBody(body, { baseUrl: b.url, auth: signing, sleep: async () => {} });
        expect(b.seen, `status ${status}`).toHaveLength(1);
      } finally {
        await b.close();
      }
    }
    const b = await bridge([{ status: 503 }]);
    try {
      expect((await sendBody(body, { baseUrl: b.url, auth: signing, retries: 0, sleep: async () => {} })).exitCode).toBe(1);
      expect(b.seen).toHaveLength(1);
    } finally {
      await b.close();
    }
  });

  it('sends again when there was no answer at all, then says so', async () => {
    const b = await bridge([{ status: 200 }]);
    const { url } = b;
    await b.close();
    const waits: number[] = [];
    const outcome = await sendBody(body, { baseUrl: url, auth: signing, retries: 2, sleep: async (ms) => void waits.push(ms) });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(/→ ECONNREFUSED: .* \(after 3 attempts\)/);
    expect(outcome.stderr).toContain('no answer: is the bridge running there?');
    expect(waits).toEqual([1000, 2000]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(retryWaitMs({ retryAfter: '7' }, 3, 60_000)).toBe(7000);
    expect(retryWaitMs({}, 3, 60_000)).toBe(4000);
    expect(retryWaitMs({}, 10, 60_000)).toBe(60_000);
  });
});
