/**
 * The SSM adapter against moto: seat credentials as SecureString parameters under a class's
 * path (written, read one by one and ten a call, listed and deleted), public parameters, and a
 * Run Command invocation read back. What moto does not model is listed in ./moto.ts.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { expect, it } from 'vitest';
import {
  deleteParameters,
  getInvocation,
  getSecureParameter,
  parameterNamesUnder,
  putSecureParameter,
  resolvePublicParameter,
  secureParameters,
  sendScript,
} from '../../layers/aws/ssm';
import { credentialName } from '../../layers/core/classroom/plan/parameter-paths';
import { seatIds } from '../../layers/core/classroom/request/seat-ids';
import { BASE_IMAGE_PARAMETER, contractClass } from './fixtures';
import { describeOnMoto, REGION } from './moto';

const ssm = () => new SSMClient({ region: REGION });

/** Where a class's credentials live: a class planned by the core, and its credential names. */
async function classPath() {
  const { plan } = await contractClass(await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER));
  const name = (batchId: string, seatId: string) => credentialName(plan, batchId, seatId);
  return { path: plan.parameterPath, name };
}

const credential = (seatId: string) =>
  JSON.stringify({ password: `pw-${seatId}`, token: `tk-${seatId}` });

describeOnMoto('SSM adapter on moto', () => {
  it('stores a seat credential as a SecureString, overwrites it on a retry and reads it back decrypted', async () => {
    // Prepare
    const { name } = await classPath();
    const parameter = name('b00', 'seat-001');
    await putSecureParameter(REGION, parameter, 'first', 'bakehouse seat credential');

    // Act
    await putSecureParameter(
      REGION,
      parameter,
      credential('seat-001'),
      'bakehouse seat credential',
    );
    const value = await getSecureParameter(REGION, parameter);

    // Assess
    expect(value).toBe(credential('seat-001'));
    const stored = await ssm().send(new GetParameterCommand({ Name: parameter }));
    expect(stored.Parameter).toMatchObject({ Type: 'SecureString', Version: 2 });
    expect(stored.Parameter?.Value).not.toBe(value);
  });

  it('reads back 23 credentials ten a call, and leaves out a name that has none', async () => {
    // Prepare
    const { name } = await classPath();
    const names = seatIds(23).map((seatId) => name('b00', seatId));
    for (const [i, parameter] of names.entries()) {
      await putSecureParameter(REGION, parameter, `secret-${i}`, 'bakehouse seat credential');
    }
    const missing = name('b00', 'seat-999');

    // Act
    const values = await secureParameters(REGION, [...names, missing]);

    // Assess
    expect(values.size).toBe(23);
    expect(names.map((n) => values.get(n))).toEqual(names.map((_, i) => `secret-${i}`));
    expect(values.has(missing)).toBe(false);
  });

  it('deletes every parameter under a class path, across batches and past one page, and nothing of another class', async () => {
    // Prepare
    const doomed = await classPath();
    const kept = await classPath();
    const names = seatIds(24).map((seatId, i) => doomed.name(`b0${i % 3}`, seatId));
    for (const parameter of names) await putSecureParameter(REGION, parameter, 'x', 'seat');
    await putSecureParameter(REGION, kept.name('b00', 'seat-001'), 'keep', 'seat');

    // Act
    const listed = await parameterNamesUnder(REGION, doomed.path);
    await deleteParameters(REGION, listed);

    // Assess
    expect([...listed].sort()).toEqual([...names].sort());
    expect(await parameterNamesUnder(REGION, doomed.path)).toEqual([]);
    expect(await parameterNamesUnder(REGION, kept.path)).toEqual([kept.name('b00', 'seat-001')]);
    await expect(getSecureParameter(REGION, names[0] ?? '')).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });

  it('tolerates deleting names that are already gone', async () => {
    // Prepare
    const { name } = await classPath();

    // Act
    const deleting = deleteParameters(REGION, [name('b00', 'seat-001'), name('b00', 'seat-002')]);

    // Assess
    await expect(deleting).resolves.toBeUndefined();
  });

  it('resolves a public AMI parameter and fails with ParameterNotFound for one that does not exist', async () => {
    // Act
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const unknown = resolvePublicParameter(REGION, '/aws/service/bakehouse/no-such-image');

    // Assess
    expect(imageId).toMatch(/^ami-[0-9a-f]+$/);
    await expect(unknown).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('sends a script to an instance and reads its invocation; an instance it was not sent to has none', async () => {
    // Prepare
    const instanceId = 'i-0a1b2c3d4e5f60718';

    // Act
    const commandId = await sendScript(REGION, {
      instanceIds: [instanceId],
      script: '#!/bin/bash\necho seated\n',
      timeoutSeconds: 900,
      comment: 'bakehouse: seat script for a contract test',
    });
    const invocation = await getInvocation(REGION, commandId, instanceId);
    const other = await getInvocation(REGION, commandId, 'i-0f0f0f0f0f0f0f0f0');

    // Assess
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(invocation).toMatchObject({ instanceId, status: 'Success', responseCode: 0 });
    expect(other).toBeUndefined();
  });

  it('reads a command id SSM never issued as NotFoundError (InvalidCommandId), not as pending', async () => {
    // Act
    const unknown = getInvocation(
      REGION,
      '0b9f4c1e-3a2d-4e5f-8a7b-6c5d4e3f2a1b',
      'i-0a1b2c3d4e5f60718',
    );

    // Assess
    await expect(unknown).rejects.toMatchObject({
      name: 'NotFoundError',
      cause: expect.objectContaining({ name: 'InvalidCommandId' }),
    });
  });
});
