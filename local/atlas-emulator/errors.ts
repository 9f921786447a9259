// Atlas error codes the emulator can raise (apache/atlas intg/.../AtlasErrorCode.java).
// The HTTP status is the number inside the code; the message is the code's template with {n} filled in.

import { randomBytes } from 'node:crypto';

const TEMPLATES = {
  'ATLAS-400-00-00A': '{0}: Unknown/invalid typename',
  'ATLAS-400-00-00C': '{0}.{1} : can not add mandatory attribute',
  'ATLAS-400-00-00D': '{0}.{1} : attribute delete not supported',
  'ATLAS-400-00-00E': 'superType remove not supported',
  'ATLAS-400-00-013': 'Type {0} with unique attribute {1} does not exist',
  'ATLAS-400-00-014': 'Type {0} with name {1} does not exist',
  'ATLAS-400-00-01A': 'invalid parameters: {0}',
  'ATLAS-400-00-021': 'ObjectId is not valid {0}',
  'ATLAS-400-00-029': '{0}',
  'ATLAS-400-00-02C': 'relationshipDef {0} creation attempted without 2 ends',
  'ATLAS-400-00-02D': 'relationshipDef {0} creation attempted with both ends as containers',
  'ATLAS-400-00-030': 'ASSOCIATION relationshipDef {0} creation attempted with an end specifying isContainer',
  'ATLAS-400-00-031': 'COMPOSITION relationshipDef {0} creation attempted without an end specifying isContainer',
  'ATLAS-400-00-032': 'AGGREGATION relationshipDef {0} creation attempted without an end specifying isContainer',
  'ATLAS-400-00-033': 'COMPOSITION relationshipDef {0} can only have one parent; so cannot have SET cardinality on children',
  'ATLAS-400-00-034': 'relationshipDef {0} cannot have a LIST cardinality on an end',
  'ATLAS-400-00-036':
    'invalid relationshipDef: {0}: actual: [end type 1: {1}, end type 2: {2}]. expected: [end type 1: {3}, end type 2: {4}]',
  'ATLAS-400-00-037': 'invalid update for relationshipDef {0}: new end1 {1}, existing end1 {2}',
  'ATLAS-400-00-038': 'invalid update for relationshipDef {0}: new end2 {1}, existing end2 {2}',
  'ATLAS-400-00-039':
    'invalid  update for relationship {0}: new relationshipDef category {1}, existing relationshipDef category {2}',
  'ATLAS-400-00-09E': 'Invalid attribute name: {0}.{1}. Attribute already exists in another parent type: {2}',
  'ATLAS-404-00-001': 'Given typename {0} was invalid',
  'ATLAS-404-00-005': 'Given instance guid {0} is invalid/not found',
  'ATLAS-404-00-007': 'Invalid instance creation/updation parameters passed : {0}',
  'ATLAS-404-00-009': 'Instance {0} with unique attribute {1} does not exist',
  'ATLAS-404-00-00A': 'Referenced entity {0} is not found',
  'ATLAS-404-00-011': 'Given instance guid {0} with type {1} is not a valid lineage entity type.',
  'ATLAS-409-00-001': 'Given type {0} already exists',
  'ATLAS-409-00-004': 'relationship {0} already exists between entities {1} and {2}',
} as const;

export type AtlasErrorCode = keyof typeof TEMPLATES;

/** An AtlasBaseException: answered as `{errorCode, errorMessage}` with the status taken from the code. */
export class AtlasError extends Error {
  readonly status: number;

  constructor(
    readonly errorCode: AtlasErrorCode,
    ...params: string[]
  ) {
    super(fillTemplate(TEMPLATES[errorCode], params));
    this.status = Number(errorCode.split('-')[1]);
  }

  toBody(): { errorCode: string; errorMessage: string } {
    return { errorCode: this.errorCode, errorMessage: this.message };
  }
}

/** A RuntimeException inside Atlas (e.g. a unique-index clash): answered as a plain-text 500. */
export class AtlasInternalError extends Error {}

/** A body Jackson cannot read: answered as 400 `{"error": …}`. */
export class MalformedJsonError extends Error {}

function fillTemplate(template: string, params: string[]): string {
  // MessageFormat: a missing parameter leaves the placeholder as is.
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => params[Number(index)] ?? whole);
}

/** The plain-text body of Atlas's AllExceptionMapper / NotFoundExceptionMapper. */
export function unexpectedErrorText(): string {
  const id = randomBytes(8).toString('hex');
  return `There was an error processing your request. It has been logged (ID ${id}).`;
}
