// Validates a request body holding one event or an array of events, item by item, so that one bad
// item never costs the good ones beside it.
import type * as z from 'zod/mini';
import { InputRejection, type InputProblem } from '../errors.js';

export type { InputProblem };

export interface RejectedItem {
  index: number;
  eventId?: string;
  problems: InputProblem[];
}

export interface AcceptedItem<T> {
  index: number;
  event: T;
}

export interface ParsedBatch<T> {
  /** True when the body was an array; answers then refer to items by index. */
  isArray: boolean;
  accepted: AcceptedItem<T>[];
  rejected: RejectedItem[];
}

const escapePointerToken = (token: PropertyKey): string =>
  String(token).replaceAll('~', '~0').replaceAll('/', '~1');

export const toJsonPointer = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? '' : '/' + path.map(escapePointerToken).join('/');

/** Turns zod issues into pointer + message pairs, prefixed with the item's own place in the body. */
export const describeIssues = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): InputProblem[] =>
  issues.map((issue) => ({ pointer: toJsonPointer([...prefix, ...issue.path]), message: issue.message }));

const eventIdOf = (item: unknown): string | undefined => {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as Record<string, unknown>).eventId;
  return typeof id === 'string' && id.length <= 100 ? id : undefined;
};

export const parseBatch = <S extends z.ZodMiniType>(
  body: unknown,
  schema: S,
  maxItems: number,
): ParsedBatch<z.infer<S>> => {
  const isArray = Array.isArray(body);
  const items: unknown[] = isArray ? (body as unknown[]) : [body];
  if (isArray && items.length === 0) {
    throw new InputRejection(400, 'EMPTY_BATCH', [{ pointer: '', message: 'the array holds no events' }]);
  }
  if (items.length > maxItems) {
    throw new InputRejection(413, 'TOO_MANY_EVENTS', [
      { pointer: '', message: `the array holds ${items.length} events; at most ${maxItems} are accepted per request` },
    ]);
  }
  const parsed: ParsedBatch<z.infer<S>> = { isArray, accepted: [], rejected: [] };
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) {
      parsed.accepted.push({ index, event: result.data });
    } else {
      const eventId = eventIdOf(item);
      parsed.rejected.push({
        index,
        ...(eventId === undefined ? {} : { eventId }),
        problems: describeIssues(result.error.issues, isArray ? [index] : []),
      });
    }
  });
  return parsed;
};
