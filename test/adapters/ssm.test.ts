import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParametersCommand,
  InvalidCommandId,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  getInvocation,
  listInvocations,
  onlineAgents,
  secureParameters,
  sendScript,
} from '../../layers/aws/ssm';

const ssm = mockClient(SSMClient);

beforeEach(() => {
  ssm.reset();
});

describe('onlineAgents', () => {
  it('counts only agents whose ping status is Online, across pages', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({
        InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }],
        NextToken: 'n',
      })
      .resolvesOnce({
        InstanceInformationList: [{ InstanceId: 'i-2', PingStatus: 'ConnectionLost' }],
      });

    const online = await onlineAgents('us-east-1', ['i-1', 'i-2']);

    expect([...online]).toEqual(['i-1']);
    expect(ssm).toHaveReceivedNthCommandWith(DescribeInstanceInformationCommand, 1, {
      Filters: [{ Key: 'InstanceIds', Values: ['i-1', 'i-2'] }],
    });
  });
});

describe('sendScript', () => {
  it('runs the script as AWS-RunShellScript with the execution timeout', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });

    const id = await sendScript('us-east-1', {
      instanceIds: ['i-1'],
      script: 'echo hi',
      timeoutSeconds: 3600,
      comment: 'x',
    });

    expect(id).toBe('c-1');
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-1'],
      Parameters: { commands: ['echo hi'], executionTimeout: ['3600'] },
    });
  });
});

describe('getInvocation', () => {
  it('is undefined while SSM has not registered the invocation yet', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejects(new InvocationDoesNotExist({ $metadata: {}, message: 'not yet' }));

    expect(await getInvocation('us-east-1', 'c-1', 'i-1')).toBeUndefined();
  });

  it('fails with NotFoundError for a command id SSM does not know', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejects(new InvalidCommandId({ $metadata: {}, message: 'The command ID is not valid.' }));

    await expect(getInvocation('us-east-1', 'c-1', 'i-1')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'command c-1 not found in us-east-1',
    });
  });

  it('reports status, exit code and output', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      ResponseCode: 2,
      StandardOutputContent: 'out',
      StandardErrorContent: 'err',
    });

    expect(await getInvocation('us-east-1', 'c-1', 'i-1')).toEqual({
      instanceId: 'i-1',
      status: 'Failed',
      responseCode: 2,
      stdout: 'out',
      stderr: 'err',
    });
  });
});

describe('secureParameters', () => {
  it('reads ten names a call, decrypted', async () => {
    ssm.on(GetParametersCommand).callsFake(({ Names }: { Names: string[] }) => ({
      Parameters: Names.map((Name) => ({ Name, Value: `secret of ${Name}` })),
    }));
    const names = Array.from({ length: 23 }, (_, i) => `/bakehouse/c/b00/seat-0${i}`);

    const values = await secureParameters('us-east-1', names);

    expect(values.size).toBe(23);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 3);
    expect(ssm).toHaveReceivedNthCommandWith(GetParametersCommand, 1, { WithDecryption: true });
  });
});

describe('listInvocations', () => {
  it('reads every instance of a command in one paginated listing', async () => {
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [
        {
          InstanceId: 'i-1',
          Status: 'Success',
          CommandPlugins: [{ ResponseCode: 0, Output: 'ok' }],
        },
        { InstanceId: 'i-2', Status: 'InProgress', CommandPlugins: [{}] },
      ],
    });

    const invocations = await listInvocations('us-east-1', 'c-1');

    expect(invocations.map((i) => [i.instanceId, i.status])).toEqual([
      ['i-1', 'Success'],
      ['i-2', 'InProgress'],
    ]);
    expect(ssm).toHaveReceivedCommandWith(ListCommandInvocationsCommand, {
      CommandId: 'c-1',
      Details: true,
    });
  });
});
