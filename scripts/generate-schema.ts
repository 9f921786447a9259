// Writes schema/flink-event.schema.json from the zod contract; with --check, fails if the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { flinkEventJsonSchema } from '../lib/contract/jsonSchema.js';

const target = fileURLToPath(new URL('../schema/flink-event.schema.json', import.meta.url));
const generated = `${JSON.stringify(flinkEventJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (committed !== generated) {
    console.error('schema/flink-event.schema.json is out of date with lib/contract: run `npm run schema` and commit it.');
    process.exit(1);
  }
  console.log('schema/flink-event.schema.json is up to date.');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
