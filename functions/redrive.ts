// Invoked by operators (`serverless invoke -f redrive -d '{"dryRun":true,"filter":{"jobName":"x"}}'`).
import middy from '@middy/core';
import * as z from 'zod/mini';
import { redriveDeadLetters, type RedriveReport } from '../lib/queue/index.js';
// Only the queue part of the runtime: no Atlas client, so axios stays out of this bundle.
import { getBaseRuntime } from '../lib/runtime/base.js';

const RedriveRequestSchema = z.object({
  dryRun: z._default(z.boolean(), false),
  max: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), 1000),
  filter: z._default(z.partial(z.object({ jobName: z.string(), jobId: z.string(), errorCode: z.string(), eventId: z.string() })), {}),
});

export const handler = middy<unknown, RedriveReport>().handler(async (event) => {
  const { queue } = getBaseRuntime();
  if (queue === undefined) throw new Error('redrive needs RETRY_QUEUE_URL and DEAD_LETTER_QUEUE_URL');
  const request = RedriveRequestSchema.parse(event ?? {});
  return redriveDeadLetters(queue, request);
});
