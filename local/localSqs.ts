// A real local SQS (local-aws-sqs) with the bridge's retry queue and DLQ on loopback, for npm start and tests.
// The retry queue's own redrive policy is set high: the worker dead-letters first, with the reason.
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';

export interface LocalSqs {
  endpoint: string;
  sqs: SQSClient;
  urls: { retry: string; deadLetter: string };
  close(): Promise<void>;
}

export const startLocalSqs = async (
  options: { port?: number; redriveMaxReceiveCount?: number; visibilityTimeout?: number } = {},
): Promise<LocalSqs> => {
  const server = await createSqsServer({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    region: 'eu-west-1',
    emulateQueueCreationLifecycle: false,
    queues: [
      { QueueName: 'flink-atlas-bridge-dlq' },
      {
        QueueName: 'flink-atlas-bridge-retry',
        Attributes: {
          VisibilityTimeout: options.visibilityTimeout ?? 30,
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:flink-atlas-bridge-dlq',
            maxReceiveCount: options.redriveMaxReceiveCount ?? 50,
          }),
        },
      },
    ],
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    sqs: new SQSClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    urls: {
      retry: `${endpoint}/123456789012/flink-atlas-bridge-retry`,
      deadLetter: `${endpoint}/123456789012/flink-atlas-bridge-dlq`,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The environment that points the functions (and the SDK) at this local SQS. */
export const queueEnv = (sqs: LocalSqs): Record<string, string> => ({
  RETRY_QUEUE_URL: sqs.urls.retry,
  DEAD_LETTER_QUEUE_URL: sqs.urls.deadLetter,
  AWS_ENDPOINT_URL_SQS: sqs.endpoint,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
