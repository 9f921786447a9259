// Reads a JSON request body from an API Gateway HTTP API (payload 2.0) event, in the order that keeps hostile
// input cheap: media type (415), size as sent (413), Content-Encoding undone within the same limit (415/413/400),
// then, once the caller has checked credentials on these bytes, strict UTF-8 (400), JSON (400) and the shape
// limits of ./jsonLimits.ts (400). Every refusal names the problem and where.
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InputRejection } from '../errors.js';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from './jsonLimits.js';

/** What the body is read from: the headers and the body as API Gateway delivers them. */
export type ReceivedRequest = Pick<APIGatewayProxyEventV2, 'headers' | 'isBase64Encoded' | 'body'>;

/** A request header, whatever its case. */
export const header = (event: Pick<ReceivedRequest, 'headers'>, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
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

const tooLarge = (bytes: string, maxBodyBytes: number): InputRejection =>
  new InputRejection(413, 'BODY_TOO_LARGE', [{ pointer: '', message: `the body has ${bytes} bytes; at most ${maxBodyBytes} are accepted` }]);

/**
 * Undoes Content-Encoding (the OpenLineage Java client sends gzip with `compression: gzip`). The inflated body
 * is held to the same limit as a plain one, checked while inflating, so a zip bomb costs at most that much.
 */
const decode = (bytes: Buffer, contentEncoding: string | undefined, maxBodyBytes: number): Buffer => {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return bytes;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new InputRejection(415, 'UNSUPPORTED_MEDIA_TYPE', [
      { pointer: '', message: `Content-Encoding ${JSON.stringify(contentEncoding?.slice(0, 100))} is not supported; send gzip or no encoding` },
    ]);
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`more than ${maxBodyBytes} inflated`, maxBodyBytes);
    throw new InputRejection(400, 'INVALID_CONTENT_ENCODING', [
      { pointer: '', message: `the body is not a valid gzip stream (Content-Encoding: gzip): ${(error as Error).message}` },
    ]);
  }
};

/** 415 unless the body is declared JSON (application/json or application/*+json). */
export const requireJsonContentType = (event: Pick<ReceivedRequest, 'headers'>): void => {
  const contentType = header(event, 'content-type');
  if (!isJsonMediaType(contentType)) {
    throw new InputRejection(415, 'UNSUPPORTED_MEDIA_TYPE', [
      { pointer: '', message: `Content-Type must be application/json, got ${JSON.stringify(contentType?.slice(0, 100) ?? '(none)')}` },
    ]);
  }
};

/** The body's bytes as the sender wrote them: base64 of the transport and Content-Encoding undone, within the limit. */
export const readBodyBytes = (event: ReceivedRequest, maxBodyBytes: number): Buffer => {
  const raw = event.body ?? '';
  // The base64 text is 4/3 of the bytes: refuse before decoding what cannot fit.
  if (event.isBase64Encoded && raw.length > Math.ceil(maxBodyBytes / 3) * 4 + 4) throw tooLarge(`about ${Math.floor((raw.length * 3) / 4)}`, maxBodyBytes);
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) throw tooLarge(String(bytes.length), maxBodyBytes);
  return decode(bytes, header(event, 'content-encoding'), maxBodyBytes);
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (for the message only). */
export const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let length: number;
    let min: number;
    if (b < 0x80) { i += 1; continue; }
    if (b >= 0xc2 && b <= 0xdf) { length = 2; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { length = 3; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { length = 4; min = 0x10000; }
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k += 1) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return -1;
};

/** Strict UTF-8: a body with a byte sequence that is not UTF-8 is refused, never "repaired" with U+FFFD. */
export const decodeUtf8 = (bytes: Uint8Array): string => {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InputRejection(400, 'INVALID_UTF8', [
      { pointer: '', message: `the body is not UTF-8${at >= 0 ? ` (invalid byte sequence at byte offset ${at})` : ''}; JSON bodies must be UTF-8 encoded` },
    ]);
  }
};

/** Parses JSON text and holds it to the shape limits; the refusals carry JSON pointers. */
export const parseJsonText = (text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown => {
  if (text.trim() === '') {
    throw new InputRejection(400, 'INVALID_JSON', [{ pointer: '', message: 'the body is empty; send a JSON event or array of events' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputRejection(400, 'INVALID_JSON', [{ pointer: '', message: `the body is not valid JSON: ${describeJsonError(error)}` }]);
  }
  const problems = checkJsonLimits(value, limits);
  if (problems.length > 0) {
    const first = problems[0]?.code ?? 'JSON_LIMIT';
    throw new InputRejection(400, first, problems.map(({ pointer, message }) => ({ pointer, message })));
  }
  return value;
};

/** Everything at once, for callers that check no credentials on the bytes. */
export const readJsonBody = (event: ReceivedRequest, maxBodyBytes: number, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown => {
  requireJsonContentType(event);
  return parseJsonText(decodeUtf8(readBodyBytes(event, maxBodyBytes)), limits);
};
