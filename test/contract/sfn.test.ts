/**
 * The Step Functions adapter against moto: the API's start of a bake or a class. moto records
 * the execution (it does not run the definition); what else it does not model is listed in
 * ./moto.ts.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { beforeAll, expect, it } from 'vitest';
import { startExecution } from '../../layers/aws/sfn';
import { ACCOUNT, describeOnMoto, REGION, unique } from './moto';

const sfn = () => new SFNClient({ region: REGION });
let stateMachineArn = '';

describeOnMoto('Step Functions adapter on moto', () => {
  beforeAll(async () => {
    const created = await sfn().send(
      new CreateStateMachineCommand({
        name: unique('bake'),
        definition: JSON.stringify({
          StartAt: 'Done',
          States: { Done: { Type: 'Pass', End: true } },
        }),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/bakehouse-contract-sfn`,
      }),
    );
    stateMachineArn = created.stateMachineArn ?? '';
  });

  it('starts an execution under a readable, unique name with the input as JSON', async () => {
    // Prepare
    const input = { recipe: { name: 'stats-workshop' }, bakeId: 'b-1' };

    // Act
    const first = await startExecution(stateMachineArn, input, 'bake');
    const second = await startExecution(stateMachineArn, input, 'bake');

    // Assess
    const described = await sfn().send(
      new DescribeExecutionCommand({ executionArn: first.executionArn }),
    );
    expect(described).toMatchObject({ name: first.name, stateMachineArn, status: 'RUNNING' });
    expect(JSON.parse(described.input ?? 'null')).toEqual(input);
    expect(first.name).toMatch(/^bake-\d{4}-\d{2}-\d{2}T\d{4}-[0-9a-f]{8}$/);
    expect(first.name.length).toBeLessThanOrEqual(80);
    expect(second.name).not.toBe(first.name);
  });

  it('fails with StateMachineDoesNotExist for a machine that is not there', async () => {
    // Act
    const starting = startExecution(
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${unique('missing')}`,
      {},
      'classroom',
    );

    // Assess
    await expect(starting).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });
});
