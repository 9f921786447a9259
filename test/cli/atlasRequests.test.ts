// flink-atlas atlas-requests: the atlas-check module's producer (docs/atlas-check.md), run through runCli on a small
// slice of the fault workload: what it writes is what the Java check reads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flink-atlas-requests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCliCaptured(args);

interface Summary {
  faultEvents: number;
  sources: Record<string, { posts: number; writes: number; entities: number }>;
  total: { posts: number; writes: number; entities: number };
}

describe('flink-atlas atlas-requests', () => {
  it('records every source, the typedef create and upgrade, and each write with what Atlas stored', async () => {
    const out = join(dir, 'out');
    const answer = await run(['atlas-requests', '--out', out, '--fault-events', '10']);
    expect(answer.exitCode, answer.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(answer.stdout).toContain(`atlas-requests: ${summary.total.posts} posts, ${summary.total.writes} entity writes`);
    expect(summary.faultEvents).toBe(10);
    expect(Object.keys(summary.sources)).toEqual(expect.arrayContaining(['samples', 'samples-redelivered', 'schema-examples', 'openlineage-fixtures', 'flink-rest', 'catalog-lifecycle', 'fault-workload']));
    // 10 events in batches of 5.
    expect(summary.sources['fault-workload']!.posts).toBe(2);
    for (const [source, count] of Object.entries(summary.sources)) expect(count.writes, source).toBeGreaterThan(0);

    const writes = readFileSync(join(out, 'writes.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { source: string; status: number; stored: Record<string, unknown> });
    expect(writes).toHaveLength(summary.total.writes);
    expect(writes.every((w) => w.status === 200)).toBe(true);
    expect(writes.some((w) => Object.keys(w.stored).length > 0)).toBe(true);

    const typedefs = JSON.parse(readFileSync(join(out, 'typedefs.json'), 'utf8')) as { create: { entityDefs: unknown[] }; update: unknown; upgradeAttribute: string };
    expect(typedefs.create.entityDefs.length).toBeGreaterThan(0);
    expect(typedefs.upgradeAttribute).toBe('flink_job.atlasCheckUpgrade');
    expect(JSON.stringify(typedefs.update)).toContain('atlasCheckUpgrade');
  }, 120_000);

  it('a bad --fault-events is a usage error (exit 2), nothing written', async () => {
    const answer = await run(['atlas-requests', '--out', join(dir, 'bad'), '--fault-events', '-3']);
    expect(answer.exitCode).toBe(2);
    expect(answer.stderr).toContain('must be a whole number, 0 or more');
  });
});
