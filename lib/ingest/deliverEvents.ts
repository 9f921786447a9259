// Every validated event, whatever door it came in by (native, OpenLineage, Flink REST), goes through here.
import type { NamingContext } from '../mapping/index.js';
import { writeEvents, type AtlasWriter, type IndexedEvent, type WriteOutcome } from './writeEvents.js';

export interface IngestDeps {
  atlas: AtlasWriter;
  naming: NamingContext;
}

export const deliverEvents = (events: readonly IndexedEvent[], deps: IngestDeps): Promise<WriteOutcome[]> =>
  writeEvents(events, deps.atlas, deps.naming);
