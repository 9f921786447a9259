// test/unit mirrors lib/ file for file: lib/a/b.ts is unit-tested by test/unit/a/b.test.ts. A module that only
// declares types or re-exports others (an area's index.ts) has no behaviour of its own and needs no test; that is
// read from the module's statements, not listed by hand. This test fails, naming the files, when a lib file with
// behaviour has no mirrored test, so a new module cannot land untested.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIB = join(ROOT, 'lib');

/**
 * Modules with behaviour that have no mirrored unit test yet, each still tested through the handler, contract or
 * e2e tests. This list only shrinks: the test fails if a file here gains its mirror (remove it from the list then).
 */
const NOT_YET_MIRRORED: readonly string[] = [];

const libFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative(ROOT, path)] : [];
  });

/** True when every statement declares a type, imports, or re-exports from another module: nothing runs here. */
export const hasNoBehaviour = (source: string): boolean =>
  ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest).statements.every(
    (statement) =>
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isImportDeclaration(statement) ||
      (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined),
  );

const mirrorOf = (libFile: string): string => libFile.replace(/^lib\//, 'test/unit/').replace(/\.ts$/, '.test.ts');

describe('test/unit mirrors lib/', () => {
  const files = libFiles(LIB).sort();
  const withBehaviour = files.filter((file) => !hasNoBehaviour(readFileSync(join(ROOT, file), 'utf8')));

  it('finds the library', () => {
    expect(withBehaviour.length).toBeGreaterThan(40);
  });

  it('has a unit test for every lib module with behaviour', () => {
    const untested = withBehaviour.filter((file) => {
      return !existsSync(join(ROOT, mirrorOf(file))) && !NOT_YET_MIRRORED.includes(file);
    });
    expect(untested, `add a unit test for each at ${untested.map(mirrorOf).join(', ')}`).toEqual([]);
  });

  it('keeps its list of modules not yet mirrored current', () => {
    // Only a gained mirror fails; a listed module that was moved or deleted is just dropped (lib is being reshaped).
    const stale = NOT_YET_MIRRORED.filter((file) => existsSync(join(ROOT, mirrorOf(file))));
    expect(stale, 'remove these from NOT_YET_MIRRORED in test/unit/mirror.test.ts').toEqual([]);
  });

  it('tells a module without behaviour from one with', () => {
    expect(hasNoBehaviour("export type A = string;\nexport interface B { a: A }\nimport type { C } from './c.js';")).toBe(true);
    expect(hasNoBehaviour("export { a } from './a.js';\nexport type { B } from './b.js';\nexport * from './c.js';")).toBe(true);
    expect(hasNoBehaviour("export const a = 1;")).toBe(false);
    expect(hasNoBehaviour("import { a } from './a.js';\nexport { a };")).toBe(false);
    expect(hasNoBehaviour("export type A = string;\nexport function f() { return 1; }")).toBe(false);
  });
});
