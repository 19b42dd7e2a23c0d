import { EC2Client, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { startEach, stopEach } from '../../layers/aws/ec2-power';

const ec2 = mockClient(EC2Client);
const fault = (name: string, message = name) => Object.assign(new Error(message), { name });

beforeEach(() => {
  ec2.reset();
});

describe('stopEach', () => {
  it('stops a whole batch with one call when EC2 accepts it', async () => {
    ec2.on(StopInstancesCommand).resolves({});

    const outcome = await stopEach('us-east-1', ['i-1', 'i-2']);

    expect(outcome).toEqual({ done: ['i-1', 'i-2'], refused: new Map() });
    expect(ec2).toHaveReceivedCommandTimes(StopInstancesCommand, 1);
  });

  it('stops every other instance when one id fails the whole call, and says why it failed', async () => {
    ec2.on(StopInstancesCommand).callsFake(({ InstanceIds }: { InstanceIds: string[] }) => {
      if (InstanceIds.includes('i-2'))
        throw fault('UnsupportedOperation', "You can't stop the Spot Instance 'i-2'");
      return {};
    });

    const outcome = await stopEach('us-east-1', ['i-1', 'i-2', 'i-3']);

    expect(outcome.done).toEqual(['i-1', 'i-3']);
    expect(outcome.refused).toEqual(
      new Map([['i-2', "UnsupportedOperation: You can't stop the Spot Instance 'i-2'"]]),
    );
    expect(ec2).toHaveReceivedCommandWith(StopInstancesCommand, { InstanceIds: ['i-1'] });
    expect(ec2).toHaveReceivedCommandWith(StopInstancesCommand, { InstanceIds: ['i-3'] });
  });

  it('sends at most 50 ids a call', async () => {
    ec2.on(StopInstancesCommand).resolves({});

    await stopEach(
      'us-east-1',
      Array.from({ length: 120 }, (_, i) => `i-${i}`),
    );

    expect(ec2).toHaveReceivedCommandTimes(StopInstancesCommand, 3);
  });

  it('leaves throttling to the caller (the state machine retries the step)', async () => {
    ec2.on(StopInstancesCommand).rejects(fault('RequestLimitExceeded'));

    await expect(stopEach('us-east-1', ['i-1', 'i-2'])).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
  });
});

describe('startEach', () => {
  it('starts what it can, one id at a time after a refusal', async () => {
    ec2.on(StartInstancesCommand).callsFake(({ InstanceIds }: { InstanceIds: string[] }) => {
      if (InstanceIds.includes('i-1')) throw fault('IncorrectInstanceState', 'terminated');
      return {};
    });

    const outcome = await startEach('us-east-1', ['i-1', 'i-2']);

    expect(outcome.done).toEqual(['i-2']);
    expect([...outcome.refused.keys()]).toEqual(['i-1']);
  });
});
