import { describe, expect, it } from 'vitest';
import { getBake } from '../../layers/aws/dynamodb';
import { parseBakeRecord } from '../../layers/core/bake-record';
import { TESTED_TAG } from '../../layers/core/image-test/image-test';
import { TAG } from '../../layers/core/tags';
import { runLocal } from '../../local/runner';
import { LOCAL_CLASSES_TABLE } from '../../local/simulation';
import { LARGE_FILE, largeRepository } from '../fixtures/large-repository';
import { liveInstances, simulatedAws } from './simulated';

const builders = (sim: ReturnType<typeof simulatedAws>) =>
  sim.ec2.instances().filter((i) => i.tags[TAG.kind] === 'builder');

const entered = (run: { events: { type: string }[] }) =>
  run.events.flatMap((e) =>
    e.type === 'StateEntered' && 'state' in e
      ? [(e as { state: { name: string } }).state.name]
      : [],
  );

const recipe = {
  name: 'stats-workshop',
  region: 'us-east-1',
  baseImage: '/aws/service/debian/release/12/latest/amd64',
  builder: { instanceType: 't3.large', timeoutMinutes: 30 },
  volumes: [{ device: '/dev/sdf', sizeGiB: 50, mountPoint: '/scratch' }],
  environment: {
    apt: ['r-base', 'jq'],
    pip: ['numpy==2.1.0'],
    postBuild: 'echo ready > /etc/motd',
  },
  jupyter: { flavour: 'lab' },
};

async function bake(
  sim: ReturnType<typeof simulatedAws>,
  input: unknown = { recipe },
  failOnceAfterWork?: string[],
) {
  return runLocal('bake', input, {
    clock: sim.clock,
    executionName: 'bake-test',
    failOnceAfterWork,
  });
}

describe('the bake state machine on the simulated AWS', () => {
  it('sends the build script and the image test once each when their responses are lost', async () => {
    const sim = simulatedAws();

    const run = await bake(sim, { recipe }, ['RunBuildScript', 'RunImageTest']);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const sent = sim.ssm.commands().map((c) => c.comment?.replace(/ bake-test$/, ''));
    expect(sent.filter((c) => c === 'bakehouse bake')).toHaveLength(1);
    expect(sent.filter((c) => c === 'bakehouse image test')).toHaveLength(1);
    expect(sim.calls['SSM:ListCommands']).toBeGreaterThanOrEqual(2);
  });

  it('bakes an available image tagged with the recipe hash and leaves no builder running', async () => {
    const sim = simulatedAws();

    const run = await bake(sim);

    expect(run.status).toBe('SUCCEEDED');
    const output = run.output as { imageId: string; recipeHash: string; jupyterPort: number };
    const image = sim.ec2.images().find((i) => i.imageId === output.imageId);
    expect(image?.state).toBe('available');
    expect(image?.tags[TAG.recipeHash]).toBe(output.recipeHash);
    expect(output.jupyterPort).toBe(8888);
    expect(liveInstances(sim)).toEqual([]);
    expect(builders(sim)).toHaveLength(1);
  });

  it('records a baked bake with its image, and a failed one with the step that failed', async () => {
    const sim = simulatedAws({ faults: { imageFails: 1 } });
    const store = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };

    const failed = await bake(sim);
    const baked = await runLocal(
      'bake',
      { recipe },
      { clock: sim.clock, executionName: 'bake-again' },
    );

    expect([failed.status, baked.status]).toEqual(['FAILED', 'SUCCEEDED']);
    expect(parseBakeRecord(await getBake(store, 'bake-test'))).toMatchObject({
      state: 'failed',
      recipeName: 'stats-workshop',
      failure: expect.stringMatching(/^CreateImage failed: ImageFailedError/),
    });
    expect(parseBakeRecord(await getBake(store, 'bake-again'))).toMatchObject({
      state: 'baked',
      recipeName: 'stats-workshop',
      imageId: (baked.output as { imageId: string }).imageId,
    });
  });

  it('launches the builder from the resolved base image with a time-to-live and its bake tags', async () => {
    const sim = simulatedAws();

    await bake(sim);

    const [builder] = sim.ec2.instances();
    expect(builder?.tags[TAG.bake]).toBe('bake-test');
    const [group] = sim.ec2.securityGroups().filter((g) => g.name === 'bakehouse-local-builders');
    expect(group?.ingress).toEqual([]);
    expect(builder?.tags[TAG.kind]).toBe('builder');
    expect(Date.parse(builder?.tags[TAG.expiresAt] ?? '')).toBeGreaterThan(Date.now());
  });

  it('rejects a malformed recipe before launching anything, naming each bad field', async () => {
    const sim = simulatedAws();
    const bad = {
      ...recipe,
      builder: { instanceType: 'huge' },
      environment: { apt: ['numpy; curl evil | sh'] },
    };

    const run = await bake(sim, { recipe: bad });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RecipeRejected');
    expect(run.cause).toContain('builder.instanceType');
    expect(run.cause).toContain('environment.apt[0]');
    expect(sim.calls['EC2:RunInstances'] ?? 0).toBe(0);
  });

  it('rejects a recipe whose script exceeds even an S3 object before launching anything', async () => {
    const sim = simulatedAws();
    const padding = '# a long comment that pads the script\n'.repeat(1_700);
    const large = {
      ...recipe,
      environment: { ...recipe.environment, postBuild: padding, requirements: `numpy\n${padding}` },
    };

    const run = await bake(sim, { recipe: large });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RecipeRejected');
    expect(run.cause).toMatch(
      /compiled bake script is \d+ bytes; a script that travels through S3 is at most 114688 bytes/,
    );
    expect(sim.calls['EC2:RunInstances'] ?? 0).toBe(0);
  });

  it('fails a launch without capacity, naming the step, with nothing left running', async () => {
    const sim = simulatedAws({ faults: { capacity: [{ instanceType: 't3.large' }] } });

    const run = await bake(sim);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('InsufficientInstanceCapacity');
    expect(run.cause).toMatch(/^LaunchBuilder failed: InsufficientInstanceCapacity/);
    expect(liveInstances(sim)).toEqual([]);
  });

  it('gives up on an agent that never comes Online and terminates the builder', async () => {
    const sim = simulatedAws({ faults: { agentNeverOnline: true } });

    const run = await bake(sim);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DeadlineExceededError');
    expect(run.cause).toMatch(/^AwaitAgent failed: .*SSM agent was not Online/);
    expect(run.cause).toContain('Cleaned up: i-');
    expect(liveInstances(sim)).toEqual([]);
  });

  it('reports the failing phase of a build script that fails, and terminates the builder', async () => {
    const sim = simulatedAws({ faults: { commandFails: { match: 'bakehouse: phase' } } });

    const run = await bake(sim);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ScriptFailedError');
    expect(run.cause).toMatch(
      /^RunBuildScript failed: ScriptFailedError: builder script Failed \(exit 1\): bakehouse: phase \S+ FAILED/,
    );
    expect(liveInstances(sim)).toEqual([]);
  });

  it('deletes an image that ends in failed, with its snapshots, and terminates the builder', async () => {
    const sim = simulatedAws({ faults: { imageFails: 1 } });

    const run = await bake(sim);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ImageFailedError');
    expect(run.cause).toMatch(/^CreateImage failed: ImageFailedError: image failed/);
    expect(
      sim.ec2
        .images()
        .filter((i) => i.tags[TAG.bake] === 'bake-test' && i.state !== 'deregistered'),
    ).toEqual([]);
    expect(liveInstances(sim)).toEqual([]);
  });

  it('retries a launch whose response was lost without starting a second builder', async () => {
    const sim = simulatedAws();

    const run = await bake(sim, { recipe }, ['LaunchBuilder']);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(
      run.events.filter((e) => e.type === 'StateRetried').map((e) => 'state' in e && e.state.name),
    ).toContain('LaunchBuilder');
    expect(builders(sim)).toHaveLength(1);
    // Two attempts for the builder, one launch of the test instance.
    expect(sim.calls['EC2:RunInstances']).toBe(3);
  });

  it('rides out EC2 throttling with backoff', async () => {
    const sim = simulatedAws({ faults: { throttle: { RunInstances: 2, DescribeImages: 1 } } });

    const run = await bake(sim);

    expect(run.status).toBe('SUCCEEDED');
    expect(builders(sim)).toHaveLength(1);
  });
});

describe('the image test', () => {
  it('launches an instance from the new image, runs the seat script and the checks, then tags the image tested', async () => {
    const sim = simulatedAws();

    const run = await bake(sim, {
      recipe: { ...recipe, test: { commands: 'python3 -c "import numpy"\n' } },
    });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const output = run.output as { imageId: string; tested: boolean; reused: boolean };
    expect(output).toMatchObject({ tested: true, reused: false });
    const [tester] = sim.ec2.instances().filter((i) => i.tags[TAG.kind] === 'image-test');
    expect(tester?.imageId).toBe(output.imageId);
    expect(tester?.tags[TAG.bake]).toBe('bake-test');
    expect(['shutting-down', 'terminated']).toContain(tester?.state);
    const image = sim.ec2.images().find((i) => i.imageId === output.imageId);
    expect(image?.tags[TESTED_TAG]).toBe('true');
    expect(entered(run)).toEqual(
      expect.arrayContaining([
        'LaunchImageTest',
        'RunImageTest',
        'CheckImageTest',
        'PassImageTest',
      ]),
    );
    expect(liveInstances(sim)).toEqual([]);
  });

  it('keeps the throwaway credential on the test instance: none in commands, events, logs or tags', async () => {
    const sim = simulatedAws();

    const run = await bake(sim);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [tester] = sim.ec2.instances().filter((i) => i.tags[TAG.kind] === 'image-test');
    const seated = sim.timelines().find((t) => t.instanceId === tester?.instanceId);
    expect(seated?.seatRuns).toHaveLength(1);
    const visible = JSON.stringify([
      run.events,
      run.logs,
      sim.ssm.commands(),
      sim.ec2.instances().map((i) => i.tags),
      sim.ec2.images().map((i) => i.tags),
    ]);
    expect(visible).not.toMatch(/argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{11}/);
    expect(visible).not.toMatch(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/);
    const [command] = sim.ssm
      .commands()
      .filter((c) => c.instanceIds.includes(tester?.instanceId ?? ''));
    expect(command?.parameters.commands?.join('\n')).toContain('credential.sh');
  });

  it.each([
    ['Jupyter does not answer with the test token', 'jupyter-answers.py', 'jupyter-answers'],
    ["the recipe's smoke test fails", 'import numpy', 'smoke-test'],
  ])(
    'fails the bake when %s: no image, no snapshot, no test instance left',
    async (_what, match, phase) => {
      const sim = simulatedAws({ faults: { commandFails: { match } } });

      const run = await bake(sim, {
        recipe: { ...recipe, test: { commands: 'python3 -c "import numpy"\n' } },
      });

      expect(run.status).toBe('FAILED');
      expect(run.cause).toContain('TestImage failed: ScriptFailedError: image test Failed');
      expect(run.cause).toContain(`phase ${phase} FAILED`);
      const mine = sim.ec2.images().filter((i) => i.tags[TAG.bake] === 'bake-test');
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((i) => i.state === 'deregistered')).toBe(true);
      expect(sim.ec2.snapshots().filter((s) => s.tags?.[TAG.bake] === 'bake-test')).toEqual([]);
      expect(sim.ec2.instances().some((i) => i.tags[TAG.kind] === 'image-test')).toBe(true);
      expect(liveInstances(sim)).toEqual([]);
    },
  );
});

describe('a repository larger than one Run Command request', () => {
  const repository = largeRepository();
  const large = { ...recipe, repository };

  it('travels as an S3 object the builder fetches by key and checks by SHA-256, deleted after', async () => {
    const sim = simulatedAws();

    const run = await bake(sim, { recipe: large });

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const [builder] = builders(sim);
    const command = sim.ssm
      .commands()
      .find((c) => c.instanceIds.includes(builder?.instanceId ?? ''));
    const text = command?.parameters.commands?.join('\n') ?? '';
    expect(text).toContain('# bakehouse:script-object');
    expect(text).toContain(
      `OBJECT_KEY='bakes/bake-test/arn:aws:ec2:us-east-1:123456789012:instance/${builder?.instanceId}/build.sh'`,
    );
    expect(text).toMatch(/OBJECT_SHA256='[0-9a-f]{64}'/);
    expect(text).not.toContain(repository.files[LARGE_FILE]?.gzip.slice(0, 76));
    expect(Buffer.byteLength(text)).toBeLessThan(8_000);
    expect(sim.calls['S3:PutObject']).toBe(1);
    expect(sim.s3.objects()).toEqual([]);
    expect(liveInstances(sim)).toEqual([]);
  });

  it('deletes the object at clean-up when the build fails', async () => {
    const sim = simulatedAws({ faults: { commandFails: { match: LARGE_FILE } } });

    const run = await bake(sim, { recipe: large });

    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain('RunBuildScript failed');
    expect(sim.calls['S3:PutObject']).toBe(1);
    expect(sim.calls['S3:DeleteObject']).toBeGreaterThanOrEqual(1);
    expect(sim.s3.objects()).toEqual([]);
    expect(liveInstances(sim)).toEqual([]);
  });

  it('sends a small script in the command and writes no object', async () => {
    const sim = simulatedAws();

    const run = await bake(sim);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.calls['S3:PutObject'] ?? 0).toBe(0);
  });
});

describe('reuse', () => {
  it('returns the tested image of the same recipe at once, launching nothing', async () => {
    const sim = simulatedAws();
    const first = await bake(sim);
    const launches = sim.calls['EC2:RunInstances'];

    const again = await runLocal(
      'bake',
      { recipe },
      { clock: sim.clock, executionName: 'bake-again' },
    );

    expect(again.status, again.cause).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({
      imageId: (first.output as { imageId: string }).imageId,
      reused: true,
      tested: true,
    });
    expect(sim.calls['EC2:RunInstances']).toBe(launches);
  });

  it('bakes anew with force: true, and not for a recipe that differs', async () => {
    const sim = simulatedAws();
    await bake(sim);

    const forced = await runLocal(
      'bake',
      { recipe, force: true },
      { clock: sim.clock, executionName: 'bake-forced' },
    );
    const other = await runLocal(
      'bake',
      { recipe: { ...recipe, environment: { ...recipe.environment, apt: ['jq'] } } },
      { clock: sim.clock, executionName: 'bake-other' },
    );

    expect(forced.output).toMatchObject({ reused: false });
    expect(other.output).toMatchObject({ reused: false });
    expect(builders(sim)).toHaveLength(3);
  });

  it('never reuses an image whose test failed', async () => {
    const sim = simulatedAws({
      faults: { commandFails: { match: 'jupyter-answers.py', count: 1 } },
    });
    const first = await bake(sim);

    const again = await runLocal(
      'bake',
      { recipe },
      { clock: sim.clock, executionName: 'bake-after-failure' },
    );

    expect(first.status).toBe('FAILED');
    expect(again.status, again.cause).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({ reused: false, tested: true });
  });
});
