import { describe, expect, it } from 'vitest';
import { parseFlinkRestBody } from '../../../lib/contract/index.js';
import { flinkRestToFlinkEvents, operatorsOf } from '../../../lib/convert/flinkRestToFlinkEvents.js';
import { writeEvents } from '../../../lib/ingest/index.js';
import { naming } from '../../helpers/events.js';
import { restJob } from '../../helpers/flinkRest.js';
import { MemoryAtlas } from '../../helpers/memoryAtlas.js';

const parsed = (json: Record<string, unknown>) => {
  const result = parseFlinkRestBody(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
};

describe('Function: operatorsOf (Flink REST plan.nodes → the job graph)', () => {
  it('names each vertex as the vertex list does, with its parallelism and its inputs as edges', () => {
    // Act
    const operators = operatorsOf(parsed(restJob()).job);

    // Assess
    expect(operators).toEqual([
      { id: '6d2677a0ecc3fd8df0b72ec675edf8f4', name: 'Sink: enriched', parallelism: 2, inputs: [{ id: '90bea66de1c231edf33913ecd54406c1', shipStrategy: 'FORWARD' }] },
      { id: '90bea66de1c231edf33913ecd54406c1', name: 'Map', parallelism: 2, inputs: [{ id: 'cbc357ccb763df2852fee8c4fc7d55f2', shipStrategy: 'HASH' }] },
      { id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Source: orders', parallelism: 2 },
    ]);
  });

  it("falls back to the plan node's description, first line without tags, when the vertex list lacks it", () => {
    const json = restJob('RUNNING', { vertices: [] });
    json.plan.nodes[2].description = 'Source: orders[1]<br/>+- WatermarkAssigner(rowtime=[ts])<br/>';
    const operators = operatorsOf(parsed(json).job);
    expect(operators?.[2]).toEqual({ id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Source: orders[1]', parallelism: 2 });
  });

  it('gives no graph when the JSON has no plan', () => {
    const json = restJob();
    delete json.plan;
    expect(operatorsOf(parsed(json).job)).toBeUndefined();
  });

  it('puts the graph on the job.status event and on the flink_job as structs', async () => {
    // Prepare
    const [status] = flinkRestToFlinkEvents(parsed(restJob()), { cluster: 'flink-prod' });
    const atlas = new MemoryAtlas();

    // Act
    await writeEvents([{ index: 0, event: status! }], atlas, naming);

    // Assess
    const job = atlas.entities.get('flink_job|flink-prod/orders-enrichment@primary')!;
    expect(job.attributes.operators).toEqual([
      { typeName: 'flink_operator', attributes: { id: '6d2677a0ecc3fd8df0b72ec675edf8f4', name: 'Sink: enriched', parallelism: 2 } },
      { typeName: 'flink_operator', attributes: { id: '90bea66de1c231edf33913ecd54406c1', name: 'Map', parallelism: 2 } },
      { typeName: 'flink_operator', attributes: { id: 'cbc357ccb763df2852fee8c4fc7d55f2', name: 'Source: orders', parallelism: 2 } },
    ]);
    expect(job.attributes.operatorEdges).toEqual([
      { typeName: 'flink_operator_edge', attributes: { source: '90bea66de1c231edf33913ecd54406c1', target: '6d2677a0ecc3fd8df0b72ec675edf8f4', shipStrategy: 'FORWARD' } },
      { typeName: 'flink_operator_edge', attributes: { source: 'cbc357ccb763df2852fee8c4fc7d55f2', target: '90bea66de1c231edf33913ecd54406c1', shipStrategy: 'HASH' } },
    ]);
    expect(job.attributes.operatorsTime).toBe(Date.parse(status!.eventTime));
  });
});
