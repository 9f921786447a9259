// The SQL parser for Flink views, loaded on demand. node-sql-parser's FlinkSQL grammar (about 230 KB of minified
// JS with big-integer, ~25 ms to load) is needed only to map a catalog.table event that defines a view. The mapping
// takes the parser as an argument (lib/mapping/catalog/model.ts, ViewQueryReader); this module loads it with
// import() the first time a batch holds such an event, which esbuild (splitting) turns into a chunk of its own:
// a function's cold start and every batch without a view never load it.
import { isCatalogEvent, type NativeEvent } from '../contract/index.js';
import { viewQueryOf, type ViewQueryReader } from '../mapping/index.js';

let loading: Promise<ViewQueryReader> | undefined;

/** The parser, loaded once per container. */
export const loadViewQueryReader = (): Promise<ViewQueryReader> => {
  loading ??= import('../mapping/catalog/viewQuery.js').then(
    (module) => module.createViewQueryParser().tables,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
};

/** The parser if one of `events` needs it, else undefined (and nothing is loaded). */
export const viewQueryReaderFor = async (events: Iterable<NativeEvent>): Promise<ViewQueryReader | undefined> => {
  for (const event of events) {
    if (isCatalogEvent(event) && viewQueryOf(event) !== undefined) return loadViewQueryReader();
  }
  return undefined;
};
