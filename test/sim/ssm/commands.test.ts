import { StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  InvalidInstanceId,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { RUN_COMMAND_PARAMETERS_MAX_BYTES } from '../../../layers/core/run-command';
import { MINUTE, SECOND } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness, launch, managedInstances } from '../harness';

const BAKE = [
  '#!/bin/bash',
  'set -euo pipefail',
  'phase() { echo "bakehouse: phase $1 start"; "$3"; echo "bakehouse: phase $1 done"; }',
  'echo "bakehouse: building datasci"',
  'phase apt 0a1b2c phase_apt',
  'phase python 3d4e5f phase_python',
  'phase jupyter 6a7b8c phase_jupyter',
].join('\n');

async function send(
  h: Harness,
  instanceIds: string[],
  script = BAKE,
  extra: Record<string, string[]> = {},
) {
  const out = await h.ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: instanceIds,
      Parameters: { commands: [script], ...extra },
      Comment: 'bake datasci',
    }),
  );
  return out.Command?.CommandId as string;
}

const invocation = (h: Harness, CommandId: string, InstanceId: string) =>
  h.ssm.send(new GetCommandInvocationCommand({ CommandId, InstanceId }));

async function finished(
  h: Harness,
  commandId: string,
  instanceId: string,
): Promise<GetCommandInvocationCommandOutput> {
  for (let i = 0; i < 200; i++) {
    h.advance(30 * SECOND);
    const out = await invocation(h, commandId, instanceId).catch(() => undefined);
    if (out && !['Pending', 'InProgress', 'Delayed'].includes(out.Status ?? '')) return out;
  }
  throw new Error('command never finished');
}

describe('SSM agent registration', () => {
  it('refuses commands to an instance whose agent is not Online yet, and accepts them later', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h)) as [string];
    h.advance(20 * SECOND);

    // Act
    const early = await failure(send(h, [id]));
    const listedEarly = await h.ssm.send(new DescribeInstanceInformationCommand({}));
    h.advance(10 * MINUTE);
    const listedLater = await h.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
    );
    const commandId = await send(h, [id]);

    // Assess
    expect(early).toBeInstanceOf(InvalidInstanceId);
    expect(early.message).toContain(id);
    expect(listedEarly.InstanceInformationList).toEqual([]);
    expect(listedLater.InstanceInformationList?.[0]).toMatchObject({
      InstanceId: id,
      PingStatus: 'Online',
    });
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('registers about a minute after boot for most instances', async () => {
    // Prepare
    const h = harness({ seed: 5 });
    await launch(h, { MinCount: 100, MaxCount: 100 });
    const online = async () =>
      (
        await h.ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: [{ Key: 'PingStatus', Values: ['Online'] }],
            MaxResults: 50,
          }),
        )
      ).InstanceInformationList?.length ?? 0;

    // Act
    h.advance(40 * SECOND);
    const soon = await online();
    h.advance(60 * SECOND);
    const afterMedian = await online();

    // Assess
    expect(soon).toBeLessThan(10);
    expect(afterMedian).toBeGreaterThanOrEqual(30);
  });

  it('never registers an agent on an instance launched without an instance profile', async () => {
    // Prepare
    const h = harness();
    const [id] = (await launch(h, { IamInstanceProfile: undefined })) as [string];
    h.advance(30 * MINUTE);

    // Act
    const error = await failure(send(h, [id]));

    // Assess
    expect(error.name).toBe('InvalidInstanceId');
  });

  it('never registers any agent under the agentNeverOnline fault', async () => {
    // Prepare
    const h = harness({ faults: { agentNeverOnline: true } });
    await managedInstances(h, 3);

    // Act
    const listed = await h.ssm.send(new DescribeInstanceInformationCommand({}));

    // Assess
    expect(listed.InstanceInformationList).toEqual([]);
  });

  it('drops terminated instances and reports stopped ones as ConnectionLost', async () => {
    // Prepare
    const h = harness();
    const [kept, stopped, gone] = (await managedInstances(h, 3)) as [string, string, string];

    // Act
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    h.advance(5 * MINUTE);
    const listed = await h.ssm.send(new DescribeInstanceInformationCommand({}));

    // Assess
    expect(listed.InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus])).toEqual([
      [kept, 'Online'],
      [stopped, 'ConnectionLost'],
    ]);
  });
});

describe('SSM Run Command', () => {
  it('shows no invocation right after sending, then Pending, InProgress and Success with phase output', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];

    // Act
    const commandId = await send(h, [id]);
    const immediately = await failure(invocation(h, commandId, id));
    h.advance(1600);
    const soon = await invocation(h, commandId, id);
    h.advance(10 * SECOND);
    const running = await invocation(h, commandId, id);
    const done = await finished(h, commandId, id);

    // Assess
    expect(immediately).toBeInstanceOf(InvocationDoesNotExist);
    expect(soon.Status).toMatch(/^(Pending|InProgress)$/);
    expect(running).toMatchObject({
      Status: 'InProgress',
      ResponseCode: -1,
      StandardOutputContent: '',
    });
    expect(done).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    expect(done.StandardOutputContent).toBe(
      [
        'bakehouse: building datasci',
        'bakehouse: phase apt start',
        'bakehouse: phase apt done',
        'bakehouse: phase python start',
        'bakehouse: phase python done',
        'bakehouse: phase jupyter start',
        'bakehouse: phase jupyter done',
        '',
      ].join('\n'),
    );
    expect(done.ExecutionElapsedTime).toMatch(/^PT\d+\.\d{3}S$/);
  });

  it('answers InvalidCommandId for a command it never sent, InvocationDoesNotExist for an instance the command was not sent to', async () => {
    // Prepare
    const h = harness();
    const [id, other] = (await managedInstances(h, 2)) as [string, string];
    const commandId = await send(h, [id]);
    h.advance(5 * SECOND);

    // Act
    const unknown = await failure(invocation(h, '0b9f4c1e-3a2d-4e5f-8a7b-6c5d4e3f2a1b', id));
    const malformed = await failure(invocation(h, 'not-a-command', id));
    const notSentThere = await failure(invocation(h, commandId, other));
    const sentThere = await invocation(h, commandId, id);

    // Assess
    expect(unknown).toMatchObject({ name: 'InvalidCommandId', $metadata: { httpStatusCode: 400 } });
    expect(malformed.name).toBe('InvalidCommandId');
    expect(notSentThere).toBeInstanceOf(InvocationDoesNotExist);
    expect(sentThere.InstanceId).toBe(id);
  });

  it('takes a few simulated minutes for a bake script', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];

    // Act
    const done = await finished(h, await send(h, [id]), id);

    // Assess
    const seconds = Number(done.ExecutionElapsedTime?.slice(2, -1));
    expect(seconds).toBeGreaterThan(60);
    expect(seconds).toBeLessThan(45 * 60);
  });

  it('keeps only the first 24,000 characters of stdout, marked as truncated', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];
    const noisy = Array.from({ length: 600 }, (_, i) => `echo "line ${i} ${'x'.repeat(60)}"`).join(
      '\n',
    );

    // Act
    const done = await finished(h, await send(h, [id], noisy), id);

    // Assess
    expect(done.StandardOutputContent).toHaveLength(24_000);
    expect(done.StandardOutputContent?.startsWith('line 0 ')).toBe(true);
    expect(done.StandardOutputContent?.endsWith('\n---Output truncated---')).toBe(true);
  });

  it('fails a matching script under the commandFails fault, ending with the FAILED phase', async () => {
    // Prepare
    const h = harness({ faults: { commandFails: { match: 'phase_python', count: 1 } } });
    const [id] = (await managedInstances(h)) as [string];

    // Act
    const failed = await finished(h, await send(h, [id]), id);
    const retried = await finished(h, await send(h, [id]), id);

    // Assess
    expect(failed).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1 });
    expect(failed.StandardOutputContent).toContain('bakehouse: phase apt done');
    expect(failed.StandardOutputContent).not.toContain('bakehouse: phase jupyter');
    expect(failed.StandardOutputContent?.trimEnd().split('\n').at(-1)).toBe(
      'bakehouse: phase python FAILED (exit 1)',
    );
    expect(failed.StandardErrorContent).toContain('failed to run commands: exit status 1');
    expect(retried.Status).toBe('Success');
  });

  it('times a script out after its executionTimeout', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];

    // Act
    const done = await finished(h, await send(h, [id], BAKE, { executionTimeout: ['20'] }), id);

    // Assess
    expect(done).toMatchObject({ Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut' });
  });

  it('fails the invocation of an instance terminated mid-run', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];
    const commandId = await send(h, [id]);
    h.advance(30 * SECOND);

    // Act
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const done = await finished(h, commandId, id);

    // Assess
    expect(done).toMatchObject({ Status: 'Failed', StatusDetails: 'Terminated', ResponseCode: -1 });
  });

  it('refuses more than 50 instance ids in one command', async () => {
    // Prepare
    const h = harness({ throttling: false });
    const ids = await managedInstances(h, 51);

    // Act
    const error = await failure(send(h, ids));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('less than or equal to 50');
  });

  it('refuses documents and parameters other than AWS-RunShellScript commands', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];

    // Act
    const document = await failure(
      h.ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunPowerShellScript',
          InstanceIds: [id],
          Parameters: { commands: ['dir'] },
        }),
      ),
    );
    const missing = await failure(
      h.ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [id] })),
    );

    // Assess
    expect(document.name).toBe('InvalidDocument');
    expect(missing.name).toBe('InvalidParameters');
  });

  it('targets Online instances by tag and lists one invocation per instance with details', async () => {
    // Prepare
    const h = harness();
    const tags = [
      { ResourceType: 'instance' as const, Tags: [{ Key: 'bakehouse:class', Value: 'bio101' }] },
    ];
    const seats = await managedInstances(h, 3, { TagSpecifications: tags });
    await managedInstances(h, 2);

    // Act
    const out = await h.ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:bakehouse:class', Values: ['bio101'] }],
        Parameters: { commands: ['echo hello'] },
      }),
    );
    h.advance(2 * MINUTE);
    const listed = await h.ssm.send(
      new ListCommandInvocationsCommand({ CommandId: out.Command?.CommandId, Details: true }),
    );

    // Assess
    expect(out.Command?.TargetCount).toBe(3);
    expect(listed.CommandInvocations?.map((i) => i.InstanceId).sort()).toEqual([...seats].sort());
    expect(listed.CommandInvocations?.[0]?.CommandPlugins?.[0]).toMatchObject({
      Name: 'aws:runShellScript',
      Status: 'Success',
      Output: 'hello\n',
    });
  });

  it('keeps every command with its parameters for inspection', async () => {
    // Prepare
    const h = harness();
    const [id] = (await managedInstances(h)) as [string];

    // Act
    await send(h, [id], "TOKEN_SHA256='abc'");

    // Assess
    expect(h.sim.ssm.commands()).toEqual([
      expect.objectContaining({
        documentName: 'AWS-RunShellScript',
        instanceIds: [id],
        parameters: { commands: ["TOKEN_SHA256='abc'"] },
        comment: 'bake datasci',
      }),
    ]);
  });
});

describe('the size of one command', () => {
  it('refuses parameters beyond the 64 KB document limit with MaxDocumentSizeExceeded, from the same constant', async () => {
    // Prepare
    const h = harness({ throttling: false });
    const [id] = (await managedInstances(h)) as [string];
    const fits = `${BAKE}\n${'#'.repeat(RUN_COMMAND_PARAMETERS_MAX_BYTES - BAKE.length - 'commands'.length - 1)}`;

    // Act
    const accepted = await send(h, [id], fits);
    const error = await failure(send(h, [id], `${fits}#`));

    // Assess
    expect(accepted).toMatch(/.+/);
    expect(error.name).toBe('MaxDocumentSizeExceeded');
  });
});
