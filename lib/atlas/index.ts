export { AtlasClient } from './client.js';
export type { AtlasClientOptions } from './client.js';
export type { AtlasPort, AtlasRelationshipRequest } from './port.js';
export { AtlasError, parseRetryAfter } from './errors.js';
export type { WriteFailure } from './errors.js';
export { registerTypes, planTypeRegistration, readRegisteredTypedefs, typedefNames, BRIDGE_TYPEDEFS } from './registerTypes.js';
export type { TypeRegistrationReport } from './registerTypes.js';
export type * from './model.js';
