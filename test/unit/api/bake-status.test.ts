// The bake status from its record and execution, and the stages tied to the bake machine's states.
import { describe, expect, it } from 'vitest';
import { BAKE_PHASES, bakeStatus } from '../../../layers/core/api/bake-status';
import type { ExecutionDetail } from '../../../layers/core/api/execution-detail';
import { BakeStatusSchema } from '../../../layers/core/api/schemas';
import type { BakeRecord } from '../../../layers/core/bake-record';
import { allStates, loadDefinition } from '../../../local/serverless-config';

const running = (entered: string[], exited: Record<string, unknown> = {}): ExecutionDetail => ({
  status: 'RUNNING',
  startDate: '2027-03-01T12:00:00.000Z',
  entered,
  exited,
});

const baked: BakeRecord = {
  bakeId: 'bake-1',
  state: 'baked',
  recipeName: 'stats',
  recipeHash: 'abc',
  region: 'eu-west-1',
  imageId: 'ami-0abc',
  endedAt: '2027-03-01T12:20:00.000Z',
};

describe('BAKE_PHASES', () => {
  it('puts every state of statemachines/bake.asl.yaml in exactly one stage', () => {
    const states = allStates(loadDefinition('bake')).map(([name]) => name);
    const staged = BAKE_PHASES.flatMap((p) => p.states);

    expect([...staged].sort()).toEqual([...states].sort());
    expect(new Set(staged).size).toBe(staged.length);
  });
});

describe('bakeStatus', () => {
  it('is undefined when neither a record nor an execution exists', () => {
    expect(bakeStatus('bake-x', undefined, undefined)).toBeUndefined();
  });

  it('tells a running bake by its latest state, and the build output polled last', () => {
    const status = bakeStatus(
      'bake-1',
      undefined,
      running(
        [
          'ValidateRecipe',
          'ResolveBaseImage',
          'LaunchBuilder',
          'RunBuildScript',
          'CheckBuildScript',
        ],
        {
          CheckBuildScript: { script: { outputTail: 'bakehouse: phase apt start\n' } },
        },
      ),
    );

    expect(BakeStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      state: 'running',
      phase: 'build',
      image: null,
      failure: null,
      outputTail: 'bakehouse: phase apt start\n',
      endedAt: null,
    });
    expect(status?.progress).toBeCloseTo(3 / 7);
  });

  it('tells a baked one from its record: done, its tested image and its region', () => {
    expect(bakeStatus('bake-1', baked, undefined)).toMatchObject({
      state: 'succeeded',
      phase: 'done',
      progress: 1,
      image: { id: 'ami-0abc', tested: true, regions: [{ region: 'eu-west-1', id: 'ami-0abc' }] },
      reused: false,
      endedAt: '2027-03-01T12:20:00.000Z',
    });
  });

  it('tells a reused image from the execution output, which no record follows', () => {
    const execution: ExecutionDetail = {
      ...running(['ValidateRecipe', 'FindTestedImage', 'Reused']),
      status: 'SUCCEEDED',
      output: { imageId: 'ami-0old', region: 'us-east-1', reused: true, tested: true },
    };

    expect(bakeStatus('bake-2', undefined, execution)).toMatchObject({
      state: 'succeeded',
      reused: true,
      image: { id: 'ami-0old', tested: true, regions: [{ region: 'us-east-1', id: 'ami-0old' }] },
    });
  });

  it('tells why a bake failed, without ARNs', () => {
    const failed: BakeRecord = {
      ...baked,
      state: 'failed',
      imageId: undefined,
      failure:
        'LaunchBuilder failed: AccessDenied: not authorized on arn:aws:ec2:us-east-1:123456789012:instance/*.',
    };
    const timedOut: ExecutionDetail = { ...running(['CheckImage']), status: 'TIMED_OUT' };

    const status = bakeStatus('bake-1', failed, {
      ...running(['CleanUp', 'BakeFailed']),
      status: 'FAILED',
    });

    expect(status).toMatchObject({ state: 'failed', phase: 'clean-up', image: null, progress: 1 });
    expect(status?.failure).toBe('LaunchBuilder failed: AccessDenied: not authorized on (ARN).');
    expect(bakeStatus('bake-3', undefined, timedOut)?.failure).toBe(
      'the execution ended TIMED_OUT',
    );
  });
});
