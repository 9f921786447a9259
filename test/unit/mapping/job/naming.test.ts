// The qualifiedNames of flink_job and flink_job_run: part of the public contract, so pinned here.
import { describe, expect, it } from 'vitest';
import { jobQualifiedName, runDisplayName, runQualifiedName } from '../../../../lib/mapping/job/naming.js';

const ctx = { atlasNamespace: 'prod', namespaceOverrides: { 'kafka://a:9092': 'other' } };

describe('job and run qualifiedNames', () => {
  it('are <cluster>/<job name>[/<JobID>]@<Atlas namespace>, dataset namespace overrides aside', () => {
    expect(jobQualifiedName('flink-prod', 'Orders ETL', ctx)).toBe('flink-prod/Orders ETL@prod');
    expect(runQualifiedName('flink-prod', 'Orders ETL', '3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b', ctx)).toBe('flink-prod/Orders ETL/3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b@prod');
    expect(runDisplayName('Orders ETL', 'abc')).toBe('Orders ETL (abc)');
  });
});
