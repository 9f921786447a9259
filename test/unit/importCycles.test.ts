// lib/ has no import cycle between files: each module can be read, tested and bundled after the ones it imports.
// Type-only imports count too: a cycle through types still ties two files' designs together. Imports are read
// with the TypeScript parser (import and export-from declarations, and import() of a literal path).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIB = join(ROOT, 'lib');

const libFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/** The relative module paths a source file imports or re-exports from. */
const importedSpecifiers = (source: string): string[] => {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return specifiers.filter((s) => s.startsWith('.'));
};

/** Every cycle's files, each cycle once, from a graph of file → files it imports (Tarjan's strongly connected components). */
const importCycles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === node ? undefined : stack.pop()) {
      onStack.delete(member);
      component.push(member);
    }
    const selfImport = component.length === 1 && (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return cycles;
};

/** `./x.js` from lib/a/b.ts is lib/a/x.ts (NodeNext resolution: the .js of a .ts source). */
const resolveImport = (from: string, specifier: string): string => resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));

describe('lib/ import graph', () => {
  it('finds cycles, type-only and re-exports included', () => {
    expect(importedSpecifiers("import type { A } from './a.js';\nexport { b } from '../b.js';\nimport x from 'zod';\nconst c = () => import('./c.js');"))
      .toEqual(['./a.js', '../b.js', './c.js']);
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(importCycles(new Map([['a', ['b']], ['b', []], ['c', ['c']]]))).toEqual([['c']]);
  });

  it('has no cycle between files', () => {
    const files = libFiles(LIB);
    expect(files.length).toBeGreaterThan(40);
    const graph = new Map(files.map((file) => [
      relative(ROOT, file),
      importedSpecifiers(readFileSync(file, 'utf8')).map((s) => relative(ROOT, resolveImport(file, s))),
    ]));
    expect(importCycles(graph)).toEqual([]);
  });
});
