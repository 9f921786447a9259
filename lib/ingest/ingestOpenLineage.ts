// The use case behind POST /api/v1/lineage: an OpenLineage event from the openlineage-flink integration is
// converted to native events and delivered like them; other producers' events are answered "skipped" (2xx),
// so an OpenLineage endpoint shared with other senders never fails them.
import { InputRejection } from '../errors.js';
import { NOT_AN_OPENLINEAGE_EVENT, openLineageKindOf, openLineageSubject, parseOpenLineageEvent, type EventSubject } from '../contract/index.js';
import { notFromFlinkReason, openLineageToFlinkEvents } from '../convert/index.js';
import { deliverConverted, rejectedBody } from './deliverConverted.js';
import type { IngestDeps } from './deliverEvents.js';
import type { IngestReport } from './ingestFlinkEvents.js';

export type OpenLineageIngest =
  | { outcome: 'skipped'; reason: string; subject: EventSubject }
  | { outcome: 'delivered'; report: IngestReport };

export const ingestOpenLineage = async (body: unknown, deps: IngestDeps): Promise<OpenLineageIngest> => {
  if (Array.isArray(body)) {
    // The OpenLineage HTTP transport posts one event per request.
    throw new InputRejection(400, 'INVALID_EVENT', [{ pointer: '', message: 'send one OpenLineage event per request, not an array' }]);
  }
  // Only an OpenLineage event can be another producer's: anything else is refused, not skipped.
  if (openLineageKindOf(body) === undefined) throw new InputRejection(400, 'INVALID_EVENT', [{ pointer: '', message: NOT_AN_OPENLINEAGE_EVENT }]);
  const subject = openLineageSubject(body);
  const notFlink = notFromFlinkReason(body);
  if (notFlink !== undefined) return { outcome: 'skipped', reason: notFlink, subject };
  const parsed = parseOpenLineageEvent(body);
  if (!parsed.ok) return { outcome: 'delivered', report: rejectedBody(parsed.problems, subject) };
  const conversion = openLineageToFlinkEvents(parsed.value);
  if (conversion.kind === 'skipped') return { outcome: 'skipped', reason: conversion.reason, subject };
  return { outcome: 'delivered', report: await deliverConverted(conversion.events, subject, deps) };
};
