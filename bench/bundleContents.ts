// What each function's bundle holds: every function is built again with custom.esbuild as `serverless package`
// left it in bench/out/package/serverless-state.json (run `npm run bench -- --only 4` first), with an esbuild
// metafile, and the minified bytes of each output file are summed by package (or by folder of the project's
// own code). Files are marked init (what the handler imports statically) or lazy (what it reaches by import()).
//
//   npx tsx bench/bundleContents.ts [function...] [--top N]
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { OUT_DIR, ROOT_DIR } from './lib/children.js';
import { loadEsbuildPlugins, reachableChunks, toEsbuildOptions } from './coldStart.js';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 12;
const wanted = args.filter((a, i) => !a.startsWith('--') && (topIndex < 0 || i !== topIndex + 1));

const state = JSON.parse(readFileSync(join(OUT_DIR, 'package', 'serverless-state.json'), 'utf8')) as {
  service: { custom: { esbuild: Record<string, unknown> }; functions: Record<string, { handler: string }> };
};

/** node_modules/<package> (scoped included), or the project folder (lib/contract, functions...). */
const ownerOf = (input: string): string => {
  const modules = input.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = input.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

for (const [name, fn] of Object.entries(state.service.functions)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const entry = `${fn.handler.replace(/\.[^.]+$/, '')}.ts`;
  const result = await build({
    ...toEsbuildOptions(state.service.custom.esbuild),
    plugins: await loadEsbuildPlugins(state.service.custom.esbuild),
    absWorkingDir: ROOT_DIR,
    entryPoints: [entry],
    outdir: join(OUT_DIR, 'analyze', name),
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const metafile: Metafile = result.metafile;
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const relative = (file: string): string => file.slice(file.indexOf(`analyze/${name}/`) + `analyze/${name}/`.length);
  const files = new Map(result.outputFiles.filter((f) => f.path.endsWith('.mjs')).map((f) => [relative(f.path), Buffer.from(f.contents)]));
  // One entry point: esbuild writes it at the top of outdir, under its own name.
  const handlerFile = `${basename(entry, '.ts')}.mjs`;
  const { init, lazy } = reachableChunks(files, handlerFile);
  const sum = (kind: 'init' | 'lazy'): Map<string, number> => {
    const by = new Map<string, number>();
    for (const [file, output] of outputs) {
      if (!(kind === 'init' ? init : lazy).includes(relative(file))) continue;
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) by.set(ownerOf(input), (by.get(ownerOf(input)) ?? 0) + bytesInOutput);
    }
    return by;
  };
  console.log(`\n${name}: init ${init.map((f) => `${f} (${kb(files.get(f)!.length)})`).join(', ')}; lazy ${lazy.map((f) => `${f} (${kb(files.get(f)!.length)})`).join(', ') || 'none'}`);
  for (const kind of ['init', 'lazy'] as const) {
    const by = [...sum(kind).entries()].sort((a, b) => b[1] - a[1]);
    if (by.length === 0) continue;
    const total = by.reduce((n, [, b]) => n + b, 0);
    console.log(`  ${kind}: ${kb(total)} of code (outputs add the banner and esbuild's glue)`);
    for (const [owner, bytes] of by.slice(0, top)) console.log(`    ${kb(bytes).padStart(10)}  ${owner}`);
    if (by.length > top) console.log(`    ${kb(by.slice(top).reduce((n, [, b]) => n + b, 0)).padStart(10)}  ${by.length - top} more`);
  }
}
