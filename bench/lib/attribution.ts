// Attributes outgoing HTTP calls to the invocation that made them, without touching the bridge's code: an
// AsyncLocalStorage context per invocation, and Node's own http client diagnostics channels. Atlas calls are
// recognised by the emulator's Server-Timing answer header, whose duration is the emulator's own time; any
// other call (SQS) is timed from request start to response headers.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface CallTimes {
  /** Sum of the emulator's Server-Timing durations of this invocation's Atlas calls. */
  atlasMs: number;
  /** The same calls timed by the client, request start to response headers: the emulator plus loopback and queuing. */
  atlasWaitMs: number;
  atlasCalls: number;
  /** Wall time of this invocation's other HTTP calls (the SQS API). */
  otherMs: number;
  otherCalls: number;
}

const storage = new AsyncLocalStorage<CallTimes>();
const started = new WeakMap<ClientRequest, { times: CallTimes; at: number }>();

const SERVER_TIMING = /(?:^|,)\s*emulator;dur=(\d+(?:\.\d+)?)/;

diagnosticsChannel.subscribe('http.client.request.start', (message) => {
  const times = storage.getStore();
  if (times !== undefined) started.set((message as { request: ClientRequest }).request, { times, at: performance.now() });
});

diagnosticsChannel.subscribe('http.client.response.finish', (message) => {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const entry = started.get(request);
  if (entry === undefined) return;
  started.delete(request);
  const header = response.headers['server-timing'];
  const match = typeof header === 'string' ? SERVER_TIMING.exec(header) : null;
  if (match !== null) {
    entry.times.atlasMs += Number(match[1]);
    entry.times.atlasWaitMs += performance.now() - entry.at;
    entry.times.atlasCalls += 1;
  } else {
    entry.times.otherMs += performance.now() - entry.at;
    entry.times.otherCalls += 1;
  }
});

/** Runs `fn` with its outgoing calls counted into a fresh CallTimes. */
export const attributed = async <T>(fn: () => Promise<T>): Promise<{ value: T; times: CallTimes; ms: number }> => {
  const times: CallTimes = { atlasMs: 0, atlasWaitMs: 0, atlasCalls: 0, otherMs: 0, otherCalls: 0 };
  const start = performance.now();
  const value = await storage.run(times, fn);
  return { value, times, ms: performance.now() - start };
};

/** Process memory, after a full GC when the process runs with --expose-gc. */
export const memorySnapshot = (): { rss: number; heapUsed: number; external: number; maxRss: number; gc: boolean } => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    // resourceUsage().maxRSS is in kilobytes: the peak over the process's whole life.
    maxRss: process.resourceUsage().maxRSS * 1024,
    gc: gc !== undefined,
  };
};
