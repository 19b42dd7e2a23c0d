import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { ec2Client, useTransport } from '../../../layers/aws/clients';
import { createSimulatedAws, summarize, UnsimulatedOperationError } from '../../../local/sim';
import { failure, harness, launch } from '../harness';

describe('simulated AWS transport', () => {
  afterEach(() => useTransport({}));

  it('answers real SDK commands with $metadata and a request id', async () => {
    // Prepare
    const h = harness();

    // Act
    const output = await h.ec2.send(new DescribeInstancesCommand({}));

    // Assess
    expect(output.Reservations).toEqual([]);
    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('needs no credentials, because nothing after the simulator runs', async () => {
    // Prepare
    const sim = createSimulatedAws({ scale: 0 });
    const client = new EC2Client({ region: 'eu-west-1' });
    client.middlewareStack.use(sim.plugin);

    // Act
    const output = await client.send(new DescribeInstancesCommand({}));

    // Assess
    expect(output.Reservations).toEqual([]);
  });

  it('throws the service exception class with the AWS code, fault and request id', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );

    // Assess
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error.name).toBe('InvalidInstanceID.NotFound');
    expect(error.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    expect(error.$fault).toBe('client');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: expect.any(String) });
  });

  it('fails loudly on an operation it does not simulate instead of going to the network', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(h.ec2.send(new DescribeVpcsCommand({})));

    // Assess
    expect(error).toBeInstanceOf(UnsimulatedOperationError);
    expect(error.message).toContain('EC2:DescribeVpcs');
  });

  it('fails loudly for a service it does not simulate', async () => {
    // Prepare
    const sim = createSimulatedAws({ scale: 0 });
    const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
    dynamodb.middlewareStack.use(sim.plugin);

    // Act
    const error = await failure(dynamodb.send(new ListTablesCommand({})));

    // Assess
    expect(error.name).toBe('UnsimulatedOperationError');
    expect(sim.calls['DynamoDB:ListTables']).toBe(1);
  });

  it('serves operations registered later, e.g. by a local state-machine runner', async () => {
    // Prepare
    const sim = createSimulatedAws({ scale: 0 });
    sim.register('SFN', { DescribeExecution: () => ({ status: 'SUCCEEDED' }) });
    const sfn = new SFNClient({ region: 'us-east-1' });
    sfn.middlewareStack.use(sim.plugin);

    // Act
    const output = await sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:x' }));

    // Assess
    expect(output.status).toBe('SUCCEEDED');
  });

  it('reaches the adapters through useTransport and the shared client factory', async () => {
    // Prepare
    const sim = createSimulatedAws({ scale: 0 });
    useTransport({ plugin: sim.plugin, fetch: sim.fetch });

    // Act
    const output = await ec2Client('us-east-1').send(new DescribeInstancesCommand({}));

    // Assess
    expect(output.Reservations).toEqual([]);
    expect(sim.calls['EC2:DescribeInstances']).toBe(1);
  });

  it('counts every call, failed ones included, and summarizes them by service', async () => {
    // Prepare
    const h = harness();
    await launch(h);
    await failure(
      h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );
    await h.ec2.send(new DescribeInstancesCommand({}));

    // Act
    const summary = summarize(h.sim);

    // Assess
    expect(h.sim.calls).toEqual({ 'EC2:RunInstances': 1, 'EC2:DescribeInstances': 2 });
    expect(summary).toEqual({
      EC2: { calls: 3, throttled: 0, operations: { RunInstances: 1, DescribeInstances: 2 } },
    });
  });

  it('keeps its state to itself: mutating an answer changes nothing inside', async () => {
    // Prepare
    const h = harness();
    const [id] = await launch(h, {
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: '1' }] }],
    });
    const first = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id as string] }));

    // Act
    first.Reservations?.[0]?.Instances?.[0]?.Tags?.push({ Key: 'b', Value: '2' });

    // Assess
    expect(h.sim.ec2.instances()[0]?.tags).toEqual({ a: '1' });
  });

  it('tells what happened in a human-readable log, in simulated time, to subscribers too', async () => {
    // Prepare
    const h = harness();
    const heard: string[] = [];
    h.sim.events.subscribe((event) => heard.push(event.message));

    // Act
    await launch(h, { MinCount: 2, MaxCount: 2 });

    // Assess
    expect(h.sim.events.list()).toEqual([
      {
        at: Date.UTC(2026, 10, 2, 9, 0, 0),
        service: 'EC2',
        message: expect.stringMatching(/^launched 2 × t3\.medium in us-east-1a from ami-/),
      },
    ]);
    expect(heard).toHaveLength(1);
  });

  it('rejects options it does not understand, naming the field', () => {
    // Act / Assess
    expect(() => createSimulatedAws({ scale: -1 })).toThrow(/scale/);
    expect(() =>
      createSimulatedAws({ faults: { capacity: [{ market: 'reserved' as 'spot' }] } }),
    ).toThrow(/faults\.capacity\[0\]\.market/);
  });
});
