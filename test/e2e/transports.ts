// How a matrix request reaches the stack: the route's credentials (a Standard Webhooks signature on
// /flink/events, the Bearer API key on the other two, as the stack requires them) and the transport of its body.
import axios, { type AxiosResponse } from 'axios';
import { signatureHeaders } from '../helpers/signing.js';
import type { StackInfo } from '../helpers/testStack.js';

export type Route = 'events' | 'lineage' | 'jobs';

/** One POST of the matrix: a JSON body for a route (and its query string: /flink/jobs takes ?cluster=). */
export interface RoutePost {
  route: Route;
  body: unknown;
  query?: Record<string, string>;
}

/** plain: the JSON as UTF-8 bytes. */
export type Transport = 'plain';
export const TRANSPORTS: readonly Transport[] = ['plain'];

const encode = (transport: Transport, json: string): { bytes: Buffer; headers: Record<string, string> } => {
  switch (transport) {
    case 'plain':
      return { bytes: Buffer.from(json, 'utf8'), headers: {} };
  }
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
    headers: { 'content-type': 'application/json', ...credentials, ...headers },
    // The bytes as they are: axios must neither re-encode nor compress them.
    transformRequest: [(data: unknown) => data],
    decompress: true,
    validateStatus: () => true,
    timeout: 60_000,
  });
};
