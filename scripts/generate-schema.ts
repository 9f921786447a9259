// Writes the published schemas from the code they describe: the JSON Schemas of the three request bodies (from
// the zod contract) and schema/openapi.json (lib/http/openApi.ts). With --check, fails if a committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { flinkEventJsonSchema, flinkRestJobJsonSchema, openLineageEventJsonSchema } from '../lib/contract/jsonSchema.js';
import { openApiDocument } from '../lib/http/openApi.js';

const FILES: Record<string, () => Record<string, unknown>> = {
  'flink-event.schema.json': flinkEventJsonSchema,
  'openlineage-event.schema.json': openLineageEventJsonSchema,
  'flink-rest-job.schema.json': flinkRestJobJsonSchema,
  'openapi.json': openApiDocument,
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [name, generate] of Object.entries(FILES)) {
  const target = fileURLToPath(new URL(`../schema/${name}`, import.meta.url));
  const generated = `${JSON.stringify(generate(), null, 2)}\n`;
  if (!check) {
    writeFileSync(target, generated);
    console.log(`wrote ${target}`);
    continue;
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (committed === generated) {
    console.log(`schema/${name} is up to date.`);
  } else {
    console.error(`schema/${name} is out of date with the code: run \`npm run schema\` and commit it.`);
    stale += 1;
  }
}
if (stale > 0) process.exit(1);
