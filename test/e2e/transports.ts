// How a matrix request reaches the stack: the route's credentials (a Standard Webhooks signature on
// /flink/events, the Bearer API key on the other two, as the stack requires them) and the transport of its body.
import { gzipSync } from 'node:zlib';
import axios, { type AxiosResponse } from 'axios';
import { deliveredAsText } from '../../local/httpFront.js';
import { openLineageJavaGzipHeaders } from '../helpers/rawHttp.js';
import { signatureHeaders } from '../helpers/signing.js';
import type { StackInfo } from '../helpers/testStack.js';

export type Route = 'events' | 'lineage' | 'jobs';

/** One POST of the matrix: a JSON body for a route (and its query string: /flink/jobs takes ?cluster=). */
export interface RoutePost {
  route: Route;
  body: unknown;
  query?: Record<string, string>;
}

/**
 * What the function gets, as API Gateway's HTTP API (and the stack's local front, local/httpFront.ts) builds the
 * event (docs/http-bodies.md): plain, the JSON as text (`application/json`); gzip, `Content-Encoding: gzip` with
 * openlineage-java HttpTransport's headers, handed over base64-encoded and inflated by the function; base64, the
 * JSON under an `application/*+json` media type, which API Gateway counts as binary and hands over base64-encoded.
 */
export type Transport = 'plain' | 'gzip' | 'base64';
export const TRANSPORTS: readonly Transport[] = ['plain', 'gzip', 'base64'];

interface EncodedBody {
  bytes: Buffer;
  headers: Record<string, string>;
}

const encode = (transport: Transport, json: string): EncodedBody => {
  switch (transport) {
    case 'plain':
      return { bytes: Buffer.from(json, 'utf8'), headers: { 'content-type': 'application/json' } };
    case 'gzip':
      return { bytes: gzipSync(Buffer.from(json, 'utf8')), headers: openLineageJavaGzipHeaders() };
    case 'base64':
      return { bytes: Buffer.from(json, 'utf8'), headers: { 'content-type': 'application/vnd.flink-atlas-bridge+json' } };
  }
};

/** Whether the front hands the body over as text: only plain must, so each column is the delivery it names. */
export const reachesFunctionAsText = (transport: Transport, json: string): boolean => {
  const { bytes, headers } = encode(transport, json);
  return deliveredAsText(headers['content-type'], headers['content-encoding'], bytes);
};

const urlOf = (info: StackInfo, route: Route): string =>
  ({ events: info.eventsUrl, lineage: info.lineageUrl, jobs: info.flinkJobsUrl })[route];

/** Posts `post` through the stack's HTTP front; resolves with whatever it answers. */
export const send = (info: StackInfo, post: RoutePost, transport: Transport = 'plain'): Promise<AxiosResponse<Record<string, any>>> => {
  const json = JSON.stringify(post.body);
  const { bytes, headers } = encode(transport, json);
  // The signature covers the JSON the sender wrote (the bridge verifies it once Content-Encoding is undone).
  const credentials = post.route === 'events' ? signatureHeaders(json, { secret: info.webhookSecret }) : { authorization: `Bearer ${info.apiKey}` };
  return axios.post(urlOf(info, post.route), bytes, {
    params: post.query,
    headers: { ...headers, ...credentials },
    // The bytes as they are: axios must neither re-encode nor compress them.
    transformRequest: [(data: unknown) => data],
    decompress: true,
    validateStatus: () => true,
    timeout: 60_000,
  });
};
