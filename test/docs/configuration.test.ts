// docs/operations.md's Configuration table against lib/config: every variable the config schema reads is
// documented, and every documented default is the one loadConfig applies (setting a variable to its documented
// default changes nothing; setting it to another valid value changes the config, so the variable is really read).
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/index.js';

const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const section = /^## Configuration\n([\s\S]*?)^## /m.exec(operations)?.[1] ?? '';

/** Table rows as (variable, documented default): `A`, `B` | 5, 900 pairs each name with its default. */
const documented = new Map<string, string>();
for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
  const [names = '', defaults = ''] = row.split('|').slice(1, 3);
  const variables = [...names.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] as string);
  const values = defaults.split(',').map((value) => value.trim().replace(/^`(.*)`$/, '$1'));
  variables.forEach((variable, i) => documented.set(variable, values.length === variables.length ? (values[i] ?? '') : defaults.trim()));
}

// The variables lib/config's schema reads: the upper-case keys of its zod object(s).
const configDir = new URL('../../lib/config/', import.meta.url);
const configSource = readdirSync(configDir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(new URL(f, configDir), 'utf8')).join('\n');
const schemaVariables = [...new Set([...configSource.matchAll(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{4,}): /gm)].map((m) => m[1] as string))];

const base = {
  ATLAS_URL: 'http://atlas:21000',
  ATLAS_USER: 'admin',
  ATLAS_PASSWORD: 'admin',
  RETRY_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/retry',
  DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/dlq',
};
const withDefaults = [...documented].filter(([, value]) => /^\d+$/.test(value) || value === 'primary' || value === '{}');

describe('docs/operations.md, Configuration', () => {
  it('is found, with rows', () => {
    expect(documented.size).toBeGreaterThan(20);
    expect(schemaVariables.length).toBeGreaterThan(15);
  });

  it('documents every variable lib/config reads', () => {
    expect(schemaVariables.filter((variable) => !documented.has(variable))).toEqual([]);
  });

  it.each(withDefaults.filter(([variable]) => schemaVariables.includes(variable)))('%s defaults to %s, as documented', (variable, value) => {
    expect(loadConfig({ ...base, [variable]: value })).toEqual(loadConfig(base));
    const other = /^\d+$/.test(value) ? String(Number(value) + 1) : value === '{}' ? '{"kafka://a:9092":"other"}' : 'other';
    expect(loadConfig({ ...base, [variable]: other })).not.toEqual(loadConfig(base));
  });
});
