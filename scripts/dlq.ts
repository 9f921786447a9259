// npm run dlq -- list [--max N] [--json]: what is in the dead-letter queue, and why.
import { parseArgs } from 'node:util';
import { listDeadLetters } from '../lib/queue/index.js';
import { queueFromEnv, table } from './queueFromEnv.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { max: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } },
});
if (positionals[0] !== 'list') {
  console.error('usage: npm run dlq -- list [--max N] [--json]   (redrive: npm run redrive -- --help)');
  process.exit(2);
}
const rows = await listDeadLetters(queueFromEnv(), Number(values.max));
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else if (rows.length === 0) {
  console.log('The dead-letter queue is empty.');
} else {
  const lines = rows.flatMap((r) =>
    (r.eventIds.length > 0 ? r.eventIds : ['(undecodable)']).map((eventId) => [
      eventId, r.jobName, r.status ?? '', r.errorCode ?? '', r.firstFailureAt ?? '', String(r.receiveCount), r.errorMessage ?? '',
    ]),
  );
  console.log(table(['event id', 'job', 'status', 'error code', 'first failure', 'receives', 'error'], lines));
  console.log(`\n${rows.length} message(s), ${lines.length} event(s).`);
}
