// Reads a JSON request body from an API Gateway HTTP API (payload 2.0) event, rejecting what is not JSON.
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

export const readJsonBody = (event: APIGatewayProxyEventV2, maxBodyBytes: number): unknown => {
  if (!isJsonMediaType(header(event, 'content-type'))) {
    throw new BridgeInputError(415, 'UNSUPPORTED_MEDIA_TYPE', [
      { pointer: '', message: `Content-Type must be application/json, got ${JSON.stringify(header(event, 'content-type') ?? '(none)')}` },
    ]);
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) {
    throw new BridgeInputError(413, 'BODY_TOO_LARGE', [
      { pointer: '', message: `the body has ${bytes.length} bytes; at most ${maxBodyBytes} are accepted` },
    ]);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    throw new BridgeInputError(400, 'INVALID_JSON', [{ pointer: '', message: 'the body is empty; send a JSON event or array of events' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BridgeInputError(400, 'INVALID_JSON', [{ pointer: '', message: `the body is not valid JSON: ${describeJsonError(error)}` }]);
  }
};
