export { readJsonBody, readBodyBytes, decodeUtf8, parseJsonText, requireJsonContentType, header, firstInvalidUtf8 } from './requestBody.js';
export { jsonResponse, reportToResponse, errorToResponse, countResults } from './responses.js';
export { checkJsonLimits, DEFAULT_JSON_LIMITS, FORBIDDEN_KEYS } from './jsonLimits.js';
export type { JsonLimits, JsonLimitProblem } from './jsonLimits.js';
export { acceptWebhook, clearReplayCache } from './acceptWebhook.js';
export type { AcceptWebhookOptions, WebhookEvent } from './acceptWebhook.js';
export { logReport, logSkipped } from './requestLog.js';
export type { RequestLog } from './requestLog.js';
