export { readJsonBody, readBodyBytes, decodeUtf8, parseJsonText, requireJsonContentType, header, firstInvalidUtf8 } from './requestBody.js';
export { jsonResponse, reportToResponse, errorToResponse, countResults } from './responses.js';
export { jsonErrors } from './middleware.js';
export { checkJsonLimits, DEFAULT_JSON_LIMITS, FORBIDDEN_KEYS } from './jsonLimits.js';
export type { JsonLimits, JsonLimitProblem } from './jsonLimits.js';
export { webhookEdge, edgeOf, clearReplayCache } from './edge.js';
export type { EdgeContext, EdgeOptions, EdgeRequest } from './edge.js';
