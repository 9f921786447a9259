// The lineage page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the Atlas emulator
// holds the sample jobs of local/samples/ (written through lib/ingest), the page draws them, then picks up a new job.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFlinkEvents } from '../../lib/ingest/index.js';
import { startLineageServer, type LineageServer } from '../../local/lineageServer.js';
import { loadSamples } from '../../local/samples.js';
import { naming, ordersLineage, statusEvent } from '../helpers/events.js';
import { startTestAtlas, type TestAtlas } from '../helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
// In CI a missing browser is a failure (.ci/run installs it); on a developer machine the test says why it is skipped.
if (!HAVE_CHROMIUM && process.env.CI === undefined) {
  console.warn(`test/web/lineagePage.test.ts skipped: ${CHROMIUM} is missing (apt-get install -y chromium); CI installs it and runs this test.`);
}
// UPDATE_SCREENSHOT=1 writes docs/lineage-page.png (docs/development.md); otherwise the screenshot goes to a temp dir.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/lineage-page.png', import.meta.url))
  : join(tmpdir(), `lineage-page-${process.pid}.png`);

interface NodeData {
  kind: string;
  typeName: string;
  qualifiedName: string;
  label: string;
  status?: string;
}

// Page-side code is passed as text: the tests are type-checked without the DOM library.
const nodesOnPage = (page: Page): Promise<NodeData[]> =>
  page.evaluate<NodeData[]>('window.lineage.cy.nodes().map((n) => n.data())');

describe.skipIf(!HAVE_CHROMIUM && process.env.CI === undefined)('the lineage page', () => {
  let atlas: TestAtlas;
  let server: LineageServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    atlas = await startTestAtlas();
    for (const { event } of loadSamples()) {
      const report = await ingestFlinkEvents(event, { atlas: atlas.client, naming });
      expect(report.results.map((r) => r.outcome)).toEqual(['written']);
    }
    server = await startLineageServer({ atlas: { baseUrl: atlas.emulator.url, user: 'admin', password: 'admin', timeoutMs: 5000 } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 720 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await atlas?.emulator.close();
  });

  it('draws the sample jobs with their datasets and runs, coloured by run status', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}?interval=500`);
    await page.waitForFunction(`document.body.dataset.state === 'ready' && window.lineage.cy.nodes('[kind = "job"]').length >= 2`);
    const nodes = await nodesOnPage(page);
    const byName = new Map(nodes.map((n) => [`${n.typeName} ${n.qualifiedName}`, n]));
    expect(byName.get('flink_job flink-prod/orders-enrichment@primary')).toMatchObject({ kind: 'job', label: 'orders-enrichment', status: 'RUNNING' });
    expect(byName.get('flink_job flink-prod/daily-revenue@primary')).toMatchObject({ kind: 'job', status: 'FINISHED' });
    for (const dataset of [
      'kafka_topic orders@primary', 'kafka_topic customers@primary', 'hive_table sales.customers_dim@primary',
      'aws_s3_v2_directory s3://lake/enriched/orders/@primary', 'flink_dataset postgres://pg:5432/shop.public.order_totals@primary',
      'hive_table sales.daily_revenue@primary',
    ]) {
      expect(byName.get(dataset)?.kind, dataset).toBe('dataset');
    }
    // daily-revenue, orders-enrichment, and the Flink SQL job of local/samples (insert-into_...order_totals)
    expect(nodes.filter((n) => n.kind === 'run').map((n) => n.status).sort()).toEqual(['FINISHED', 'RUNNING', 'RUNNING']);
    // Datasets → job → datasets: the shared Postgres table is an output of one job and the input of the other.
    const edges = await page.evaluate<string[]>(
      "window.lineage.cy.edges().map((e) => e.source().data('label').split('\\n')[0] + ' -> ' + e.target().data('label').split('\\n')[0])",
    );
    expect(edges).toContain('orders-enrichment -> shop.public.order_totals');
    expect(edges).toContain('shop.public.order_totals -> daily-revenue');
    expect(edges).toContain('orders -> orders-enrichment');
    // The job's colour is its latest run's status colour.
    const colours = await page.evaluate<[string, string][]>(
      `window.lineage.cy.nodes('[kind = "run"]').map((n) => [n.data('status'), n.style('background-color')])`,
    );
    expect(new Set(colours.map(([, c]) => c)).size).toBe(2);
    expect(await page.locator('#status').textContent()).toContain('3 jobs, 3 runs, 8 datasets');
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(errors).toEqual([]);
  }, 30_000);

  it('picks up a job as soon as Atlas holds it, without a reload', async () => {
    const event = statusEvent('FAILED', Date.parse('2026-11-24T11:00:00Z'), {
      cluster: 'flink-test',
      job: { id: 'b2'.repeat(16), name: 'fraud-scoring' },
      lineage: ordersLineage,
      error: { message: 'java.lang.IllegalStateException: boom' },
    });
    await ingestFlinkEvents(event, { atlas: atlas.client, naming });
    await page.waitForFunction(`window.lineage.cy.nodes('[label = "fraud-scoring"]').length === 1`, undefined, { timeout: 10_000 });
    const nodes = await nodesOnPage(page);
    expect(nodes.find((n) => n.label === 'fraud-scoring')?.status).toBe('FAILED');
  }, 20_000);
});

