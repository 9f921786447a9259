// Least privilege, checked on what would be deployed: `serverless package` into a temporary directory, then
// each function's role in the CloudFormation template, statement by statement.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: unknown }> };

let dir: string;
let template: Template;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fab-package-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
  // The deployed defaults, whatever this shell holds.
  for (const name of ['ATLAS_PASSWORD', 'ATLAS_PASSWORD_PARAM', 'WEBHOOK_SECRETS', 'WEBHOOK_SECRETS_PARAM', 'API_KEYS', 'API_KEYS_PARAM', 'AUTH_FLINK_EVENTS', 'AUTH_OPENLINEAGE', 'AUTH_FLINK_JOBS']) delete env[name];
  execFileSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'package', '--package', dir, '--stage', 'iamtest'], { cwd: ROOT, env, stdio: 'pipe', timeout: 170_000 });
  template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A resource in a statement, named readably: 'RetryQueue', 'log:FlinkEventsLogGroup', 'ssm:/flink-atlas-bridge/…'. */
const nameOf = (resource: any): string => {
  if (typeof resource === 'string') return resource;
  if (resource['Fn::GetAtt']) {
    const [logical] = resource['Fn::GetAtt'] as [string, string];
    return logical.endsWith('LogGroup') ? `log:${logical}` : logical;
  }
  if (resource['Fn::Join']) {
    const parts = (resource['Fn::Join'] as [string, unknown[]])[1];
    const text = parts.map((p) => (typeof p === 'string' ? p : '')).join('');
    return text.startsWith('arn::ssm:') ? `ssm:${text.slice(text.indexOf(':parameter') + ':parameter'.length)}` : text;
  }
  return JSON.stringify(resource);
};

/** Each role's grants as 'action on resource' lines, sorted: easy to read in a failure and to compare. */
const grantsOf = (roleName: string): string[] => {
  const role = template.Resources[roleName];
  expect(role?.Type).toBe('AWS::IAM::Role');
  expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  const statements = (role?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
  return statements.flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return actions.flatMap((a) => resources.map((r) => `${a} on ${nameOf(r)}`));
  }).sort();
};

const PARAM = '/flink-atlas-bridge/iamtest';
const LOGS = (fn: string) => [`logs:CreateLogStream on log:${fn}LogGroup`, `logs:PutLogEvents on log:${fn}LogGroup`];
const HTTP_GRANTS = (fn: string) => [
  ...LOGS(fn),
  'sqs:SendMessage on DeadLetterQueue', 'sqs:SendMessage on RetryQueue',
  `ssm:GetParameter on ssm:${PARAM}/api-keys`, `ssm:GetParameter on ssm:${PARAM}/atlas-password`, `ssm:GetParameter on ssm:${PARAM}/webhook-secrets`,
].sort();

describe('IAM: one role per function, each allowed only what it calls', () => {
  it('gives every function its own role and creates no shared one', () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    for (const fn of ['FlinkEvents', 'OpenLineage', 'FlinkJobs', 'RetryWorker', 'RegisterTypes', 'Redrive']) {
      expect(template.Resources[`${fn}LambdaFunction`]?.Properties.Role).toEqual({ 'Fn::GetAtt': [`${fn}Role`, 'Arn'] });
    }
  });

  it.each(['FlinkEvents', 'OpenLineage', 'FlinkJobs'])('%s (HTTP): send to the retry queue and the DLQ, read its parameters, its own logs', (fn) => {
    expect(grantsOf(`${fn}Role`)).toEqual(HTTP_GRANTS(fn));
  });

  it('retryWorker: receive, delete, change visibility and read attributes of its queue; send to both queues; the Atlas password', () => {
    expect(grantsOf('RetryWorkerRole')).toEqual([
      ...LOGS('RetryWorker'),
      'sqs:ChangeMessageVisibility on RetryQueue', 'sqs:DeleteMessage on RetryQueue', 'sqs:GetQueueAttributes on RetryQueue', 'sqs:ReceiveMessage on RetryQueue',
      'sqs:SendMessage on DeadLetterQueue', 'sqs:SendMessage on RetryQueue',
      `ssm:GetParameter on ssm:${PARAM}/atlas-password`,
    ].sort());
  });

  it('registerTypes: the Atlas password and its logs, no queue at all', () => {
    expect(grantsOf('RegisterTypesRole')).toEqual([...LOGS('RegisterTypes'), `ssm:GetParameter on ssm:${PARAM}/atlas-password`].sort());
  });

  it('redrive: take from the DLQ, send to the retry queue; no parameter', () => {
    expect(grantsOf('RedriveRole')).toEqual([
      ...LOGS('Redrive'),
      'sqs:ChangeMessageVisibility on DeadLetterQueue', 'sqs:DeleteMessage on DeadLetterQueue', 'sqs:ReceiveMessage on DeadLetterQueue',
      'sqs:SendMessage on RetryQueue',
    ].sort());
  });

  it('has no wildcard action or resource anywhere', () => {
    for (const [name, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      expect(grantsOf(name).filter((grant) => grant.includes('*')), name).toEqual([]);
    }
  });

  it('deploys no secret in the environment: the password and keys are SSM parameter names, auth is on', () => {
    const variables = template.Resources.FlinkEventsLambdaFunction?.Properties.Environment.Variables as Record<string, string>;
    expect(variables).toMatchObject({
      ATLAS_PASSWORD: '', WEBHOOK_SECRETS: '', API_KEYS: '',
      ATLAS_PASSWORD_PARAM: `${PARAM}/atlas-password`, WEBHOOK_SECRETS_PARAM: `${PARAM}/webhook-secrets`, API_KEYS_PARAM: `${PARAM}/api-keys`,
      AUTH_FLINK_EVENTS: 'signature', AUTH_OPENLINEAGE: 'api-key', AUTH_FLINK_JOBS: 'signature,api-key',
    });
  });
});
