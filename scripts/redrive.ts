// npm run redrive -- [--dry-run] [--max N] [--filter jobName=...]: dead letters back to the retry queue.
import { parseArgs } from 'node:util';
import { parseFilter, redriveDeadLetters } from '../lib/queue/index.js';
import { queueFromEnv, table } from './queueFromEnv.js';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    max: { type: 'string', default: '1000' },
    filter: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run redrive -- [--dry-run] [--max N] [--filter jobName=NAME|jobId=ID|errorCode=CODE|eventId=ID]...');
  process.exit(0);
}
const report = await redriveDeadLetters(queueFromEnv(), {
  dryRun: values['dry-run'],
  max: Number(values.max),
  filter: parseFilter(values.filter),
  onProgress: (done, total) => process.stderr.write(`\rredriving ${done}/${total}`),
});
process.stderr.write('\n');
const rows = report.moved.map((r) => [r.eventIds.join(','), r.jobName, r.errorCode ?? '']);
if (rows.length > 0) console.log(table(['event ids', 'job', 'error code'], rows));
console.log(`${report.dryRun ? 'Would move' : 'Moved'} ${report.moved.length} message(s) to the retry queue; kept ${report.kept.length} undecodable.`);
