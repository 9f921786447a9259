// lib/mapping/index.ts is the mapping's API for the other areas, and the mapping holds no state between calls.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as mapping from '../../../lib/mapping/index.js';

const MAPPING_DIR = fileURLToPath(new URL('../../../lib/mapping/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);

describe('lib/mapping/index.ts', () => {
  it('exports the values the other areas use, and only those', () => {
    expect(Object.keys(mapping).sort()).toEqual([
      'DATABASE_TYPE', 'GLOBALLY_TERMINAL', 'JOB_REGISTERS', 'JOB_TYPE', 'RUN_MAXIMUMS', 'RUN_MINIMUMS', 'RUN_REGISTERS', 'RUN_TYPE',
      'activeRelatedRefs', 'canonicalJson', 'catalogEventToChanges', 'catalogRefsToRead', 'catalogSubject', 'compareRegisters',
      'databasesDroppedUnderneath', 'decodeState', 'emptyState', 'eventToChanges', 'isHiveHookTable', 'jobQualifiedName',
      'joinCatalogChanges', 'joinStates', 'mapDatasets', 'planBulkWrite', 'refKey', 'refsToRead', 'runQualifiedName', 'tablesOfDatabase',
      'viewQueryOf', 'withoutStoredDefaults',
    ]);
  });

  it('does not load the SQL parser of views: a bundle loads it only for a batch that holds a view', () => {
    const index = readFileSync(join(MAPPING_DIR, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/from '\.\/catalog\/viewQuery\.js'/);
  });
});

describe('the mapping holds no module state', () => {
  // Module scope is what starts at column 0: a `let`, or a Map or Set built there and not typed read-only.
  const MODULE_STATE = /^(?:export )?(?:let|var) |^(?:export )?const \w+(?:: (?!Readonly|readonly)[^=]+)? = new (?:Map|Set|WeakMap|WeakSet)\b/m;

  it.each(sources(MAPPING_DIR).map((file) => [relative(MAPPING_DIR, file), file]))('%s', (_name, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(MODULE_STATE);
  });

  it('the rule catches what it is for', () => {
    for (const state of ['let cache = 0;', 'const memo = new Map<string, number>();', 'export const seen: Set<string> = new Set();', 'var count = 1;']) {
      expect(state, state).toMatch(MODULE_STATE);
    }
    for (const constant of ["const S3: ReadonlySet<string> = new Set(['s3']);", "const ORDER = ['a'] as const;", '  let local = 0;', '  const memo = new Map();']) {
      expect(constant, constant).not.toMatch(MODULE_STATE);
    }
  });
});
