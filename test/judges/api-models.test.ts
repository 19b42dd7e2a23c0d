import { beforeAll, describe, expect, it } from 'vitest';
import { type BotocoreVerdict, botocoreMissing, validateRequests } from './botocore';
import { type Recording, recordScenarios } from './scenarios';

const missing = botocoreMissing();
if (missing && process.env.CI === 'true') throw new Error(`CI needs botocore: ${missing}`);
if (missing) console.warn(`skipping the botocore judge: ${missing}`);

let recording: Recording;
let verdict: BotocoreVerdict;

beforeAll(async () => {
  recording = await recordScenarios();
  verdict = validateRequests(recording.observed.map((o) => o.request));
  console.log(
    `botocore ${verdict.botocore}: ${verdict.requests} requests, ${Object.keys(verdict.operations).length} operations, ${verdict.invalid.length} invalid`,
  );
}, 120_000);

describe.skipIf(missing)("every request the functions send, judged by AWS's API models", () => {
  it('ran every scenario to its expected end', () => {
    expect(Object.values(recording.outcomes)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      // Copied to two regions; the copy fails.
      'SUCCEEDED',
      'FAILED',
      'FAILED',
      'FAILED',
      'SUCCEEDED',
      'FAILED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'FAILED',
      'FAILED',
      'SUCCEEDED, then cleaned up',
      'booked SUCCEEDED, seat SUCCEEDED, stop SUCCEEDED, start SUCCEEDED, stop SUCCEEDED, retire SUCCEEDED',
      'SUCCEEDED with 3 names, then deleted with 0 left',
      'SUCCEEDED with 3 names, then cleaned up with 0 left',
      'SUCCEEDED, then deleted',
      '202 202',
      'SUCCEEDED SUCCEEDED, read 200 200 200 200 200',
      'SUCCEEDED SUCCEEDED ABORTED, dry run 200 (11 to do), then 6 kinds of removal, then 202',
      'SUCCEEDED, link 200, let through, 3 seats shown',
      'SUCCEEDED, then 202 202 202: SUCCEEDED SUCCEEDED SUCCEEDED',
      'SUCCEEDED, then 202 202 202: SUCCEEDED SUCCEEDED FAILED',
      'booked SUCCEEDED, answered 202 202 200 202 202, stop SUCCEEDED, start SUCCEEDED, stop SUCCEEDED, start SUCCEEDED, retire SUCCEEDED',
      'booked SUCCEEDED, answered 200 202 202, budget watched, instructor told 1 time(s), start SUCCEEDED, retire SUCCEEDED',
      'FAILED',
      'SUCCEEDED with 3 names and 3 addresses',
    ]);
  });

  it('finds no request that AWS would reject as malformed', () => {
    expect(verdict.invalid).toEqual([]);
  });

  it('covers every operation the adapters send', () => {
    expect(Object.keys(verdict.operations).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
      'ec2:AllocateAddress',
      'ec2:AssociateAddress',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CancelSpotInstanceRequests',
      'ec2:CopyImage',
      'ec2:CreateImage',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:DeleteSecurityGroup',
      'ec2:DeleteSnapshot',
      'ec2:DeregisterImage',
      'ec2:DescribeAccountAttributes',
      'ec2:DescribeAddresses',
      'ec2:DescribeImages',
      'ec2:DescribeInstances',
      'ec2:DescribeRegions',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSnapshots',
      'ec2:DescribeSubnets',
      'ec2:DisassociateAddress',
      'ec2:ReleaseAddress',
      'ec2:RunInstances',
      'ec2:StartInstances',
      'ec2:StopInstances',
      'ec2:TerminateInstances',
      'route53:ChangeResourceRecordSets',
      'route53:ListResourceRecordSets',
      's3:DeleteObject',
      's3:PutObject',
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:GetSchedule',
      'scheduler:ListSchedules',
      'scheduler:UpdateSchedule',
      'sesv2:GetAccount',
      'sesv2:SendEmail',
      // The class page's scenario deletes the page key first, to have the link's signer make it.
      'ssm:DeleteParameter',
      'ssm:DeleteParameters',
      'ssm:DescribeInstanceInformation',
      'ssm:GetCommandInvocation',
      'ssm:GetParameter',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
      'ssm:ListCommands',
      'ssm:PutParameter',
      'ssm:SendCommand',
      'stepfunctions:DescribeExecution',
      'stepfunctions:GetExecutionHistory',
      'stepfunctions:ListExecutions',
      'stepfunctions:StartExecution',
    ]);
  });
});
