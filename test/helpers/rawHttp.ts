// Raw HTTP requests for tests about what reaches the functions byte for byte (docs/http-bodies.md).
import { request as httpRequest } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The answer parsed as JSON (undefined when empty). */
  body: any;
}

/** A POST of exactly these bytes, chunked (no Content-Length) the way openlineage-java's GzipCompressingEntity streams it. */
export const postBytes = (url: string, body: Buffer, headers: Record<string, string>): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      });
    });
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.write(body);
    req.end();
  });

/** The headers openlineage-java's HttpTransport sets with `compression: gzip` (and `auth: {type: api_key}` when a key is given). */
export const openLineageJavaGzipHeaders = (apiKey?: string): Record<string, string> => ({
  accept: 'application/json; charset=UTF-8',
  'content-type': 'application/json; charset=UTF-8',
  ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
  'content-encoding': 'gzip',
  'user-agent': 'Apache-HttpClient/5.4.1 (Java/17.0.12)',
});
