export { readJsonBody } from './requestBody.js';
export { jsonResponse, reportToResponse, errorToResponse, countResults } from './responses.js';
export { jsonErrors } from './middleware.js';
