// Reads a JSON request body from an API Gateway HTTP API (payload 2.0) event, rejecting what is not JSON.
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BridgeInputError } from '../contract/index.js';

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
};

const isJsonMediaType = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
};

/** Where JSON.parse stopped, as "line L column C", from Node's message. */
const describeJsonError = (error: unknown): string =>
  error instanceof SyntaxError ? error.message.replace(/^Unexpected/, 'unexpected') : 'not valid JSON';

const tooLarge = (bytes: string, maxBodyBytes: number): BridgeInputError =>
  new BridgeInputError(413, 'BODY_TOO_LARGE', [{ pointer: '', message: `the body has ${bytes} bytes; at most ${maxBodyBytes} are accepted` }]);

/**
 * Undoes Content-Encoding (the OpenLineage Java client sends gzip with `compression: gzip`). The inflated body
 * is held to the same limit as a plain one, checked while inflating, so a zip bomb costs at most that much.
 */
const decode = (bytes: Buffer, contentEncoding: string | undefined, maxBodyBytes: number): Buffer => {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return bytes;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new BridgeInputError(415, 'UNSUPPORTED_MEDIA_TYPE', [
      { pointer: '', message: `Content-Encoding ${JSON.stringify(contentEncoding)} is not supported; send gzip or no encoding` },
    ]);
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`more than ${maxBodyBytes} inflated`, maxBodyBytes);
    throw new BridgeInputError(400, 'INVALID_CONTENT_ENCODING', [
      { pointer: '', message: `the body is not a valid gzip stream (Content-Encoding: gzip): ${(error as Error).message}` },
    ]);
  }
};

export const readJsonBody = (event: APIGatewayProxyEventV2, maxBodyBytes: number): unknown => {
  if (!isJsonMediaType(header(event, 'content-type'))) {
    throw new BridgeInputError(415, 'UNSUPPORTED_MEDIA_TYPE', [
      { pointer: '', message: `Content-Type must be application/json, got ${JSON.stringify(header(event, 'content-type') ?? '(none)')}` },
    ]);
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) throw tooLarge(String(bytes.length), maxBodyBytes);
  const text = decode(bytes, header(event, 'content-encoding'), maxBodyBytes).toString('utf8');
  if (text.trim() === '') {
    throw new BridgeInputError(400, 'INVALID_JSON', [{ pointer: '', message: 'the body is empty; send a JSON event or array of events' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BridgeInputError(400, 'INVALID_JSON', [{ pointer: '', message: `the body is not valid JSON: ${describeJsonError(error)}` }]);
  }
};
