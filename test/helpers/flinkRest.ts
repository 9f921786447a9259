// Flink REST `GET /jobs/:jobid` JSON in its real shape (flink-events.md §2), for POST /flink/jobs tests.
export const REST_JOB_ID = '3f2a9c1e5b7d4e0f8a6b1c2d3e4f5a6b';
export const START = 1718000000000;

const metrics = (read: number, write: number) => ({
  'read-bytes': read * 100, 'read-bytes-complete': true, 'write-bytes': write * 100, 'write-bytes-complete': true,
  'read-records': read, 'read-records-complete': true, 'write-records': write, 'write-records-complete': true,
  'accumulated-backpressured-time': 0, 'accumulated-idle-time': 0, 'accumulated-busy-time': 0.0,
});

const tasks = (state: string, n: number) => ({
  RUNNING: 0, FINISHED: 0, FAILED: 0, CANCELED: 0, CREATED: 0, SCHEDULED: 0, DEPLOYING: 0, CANCELING: 0, RECONCILING: 0, INITIALIZING: 0, [state]: n,
});

const vertex = (id: string, name: string, status: string, read: number, write: number) => ({
  id, name, maxParallelism: 128, parallelism: 2, status,
  'start-time': START + 950, 'end-time': -1, duration: 3_599_050,
  tasks: tasks(status, 2), metrics: metrics(read, write),
});

/** Source → Map → Sink in three vertices (no chaining): source emits 1200, sink receives 1100. */
export const restJob = (state = 'RUNNING', overrides: Record<string, unknown> = {}): Record<string, any> => {
  const terminal = ['FINISHED', 'FAILED', 'CANCELED'].includes(state);
  const vertexStatus = terminal ? (state === 'CANCELED' ? 'CANCELED' : state) : 'RUNNING';
  return {
    jid: REST_JOB_ID, name: 'orders-enrichment', isStoppable: false,
    state, 'job-type': 'STREAMING', 'start-time': START, 'end-time': terminal ? START + 3_600_000 : -1,
    duration: 3_600_000, now: START + 3_600_500, maxParallelism: -1,
    timestamps: { INITIALIZING: START, CREATED: START + 150, RUNNING: START + 900, FAILING: 0, FAILED: 0, CANCELLING: 0, CANCELED: 0, FINISHED: 0, RESTARTING: 0, SUSPENDED: 0, RECONCILING: 0 },
    vertices: [
      vertex('cbc357ccb763df2852fee8c4fc7d55f2', 'Source: orders', vertexStatus, 0, 1200),
      vertex('90bea66de1c231edf33913ecd54406c1', 'Map', vertexStatus, 1200, 1100),
      vertex('6d2677a0ecc3fd8df0b72ec675edf8f4', 'Sink: enriched', vertexStatus, 1100, 0),
    ],
    'status-counts': tasks(vertexStatus, 3),
    plan: {
      jid: REST_JOB_ID, name: 'orders-enrichment', type: 'STREAMING',
      nodes: [
        { id: '6d2677a0ecc3fd8df0b72ec675edf8f4', parallelism: 2, operator: '', operator_strategy: '', description: 'Sink: enriched', optimizer_properties: {},
          inputs: [{ num: 0, id: '90bea66de1c231edf33913ecd54406c1', ship_strategy: 'FORWARD', exchange: 'pipelined_bounded' }] },
        { id: '90bea66de1c231edf33913ecd54406c1', parallelism: 2, operator: '', operator_strategy: '', description: 'Map', optimizer_properties: {},
          inputs: [{ num: 0, id: 'cbc357ccb763df2852fee8c4fc7d55f2', ship_strategy: 'HASH', exchange: 'pipelined_bounded' }] },
        { id: 'cbc357ccb763df2852fee8c4fc7d55f2', parallelism: 2, operator: '', operator_strategy: '', description: 'Source: orders', optimizer_properties: {} },
      ],
    },
    ...overrides,
  };
};

/** GET /jobs/:jobid/execution-result of a finished (or failed) job, as JobResultSerializer writes it. */
export const executionResult = (overrides: Record<string, unknown> = {}): Record<string, any> => ({
  status: { id: 'COMPLETED' },
  'job-execution-result': {
    id: REST_JOB_ID,
    'application-status': 'SUCCEEDED',
    'accumulator-results': { 'rows-read': 'rO0ABXNyAA5qYXZhLmxhbmcuTG9uZzuL5JDMjyPfAgABSgAFdmFsdWV4cgAQamF2YS5sYW5nLk51bWJlcoaslR0LlOCLAgAAeHAAAAAAAAAEsA==' },
    'net-runtime': 3_599_000,
    ...overrides,
  },
});
