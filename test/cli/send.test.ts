// flink-atlas send: how a file is cut into requests, and where each goes.
import { describe, expect, it } from 'vitest';
import { planRequests } from '../../cli/commands/send.js';

describe('send: the requests a file becomes', () => {
  it('keeps one body as it is, splits native arrays by 500 and OpenLineage arrays by event', () => {
    expect(planRequests('{"type":"job.status"}', { baseUrl: 'http://b/' }).requests).toEqual([{ label: 'the file', url: 'http://b/flink/events', body: '{"type":"job.status"}' }]);
    const many = JSON.stringify(Array.from({ length: 1001 }, () => ({ type: 'job.status' })));
    expect(planRequests(many, { baseUrl: 'http://b' }).requests.map((r) => r.label)).toEqual(['events 1-500 of 1001', 'events 501-1000 of 1001', 'events 1001-1001 of 1001']);
    const ol = JSON.stringify([{ run: {}, job: {} }, { run: {}, job: {} }]);
    expect(planRequests(ol, { baseUrl: 'http://b' }).requests.map((r) => r.url)).toEqual(['http://b/api/v1/lineage', 'http://b/api/v1/lineage']);
    expect(planRequests('{"jid":"x"}', { baseUrl: 'http://b', cluster: 'flink prod' }).requests[0]?.url).toBe('http://b/flink/jobs?cluster=flink%20prod');
    expect(planRequests('not json', { baseUrl: 'http://b' }).requests[0]?.body).toBe('not json');
  });
});
