import { DeregisterImageCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { ec2Client } from '../../layers/aws/clients';
import { getBake } from '../../layers/aws/dynamodb';
import { parameterNamesUnder } from '../../layers/aws/ssm';
import { parseBakeRecord } from '../../layers/core/bake-record';
import { COPIES_TAG, COPY_OF_TAG } from '../../layers/core/image-copies';
import { TESTED_TAG } from '../../layers/core/image-test/image-test';
import { TAG } from '../../layers/core/tags';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { LOCAL_CLASSES_TABLE } from '../../local/simulation';
import {
  liveInstances,
  CLASSROOM_MACHINE as MACHINE,
  nightlyTeardown,
  simulatedAws,
} from './simulated';

const recipe = {
  name: 'stats-workshop',
  region: 'us-east-1',
  regions: ['eu-west-1', 'ap-southeast-2'],
  baseImage: '/aws/service/debian/release/12/latest/amd64',
  builder: { instanceType: 't3.large', timeoutMinutes: 30 },
  environment: { apt: ['jq'], postBuild: 'echo ready > /etc/motd' },
};
const store = { region: 'us-east-1', table: LOCAL_CLASSES_TABLE };

type Sim = ReturnType<typeof simulatedAws>;
type Output = {
  imageId: string;
  copies: { region: string; imageId: string }[];
  reused: boolean;
  tested: boolean;
};

const bake = (sim: Sim, executionName = 'bake-copies', failOnceAfterWork?: string[]) =>
  runLocal('bake', { recipe }, { clock: sim.clock, executionName, failOnceAfterWork });

/**
 * A class seated in `region` from the image a bake answered; `abort`: aborted at its first wait
 * between polls, once its seats are launching (what Step Functions then says of it recorded).
 */
const seatIn = async (
  sim: Sim,
  region: string,
  image: unknown,
  seats: number,
  executionName: string,
  abort = false,
) => {
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: 'intro-stats',
        region,
        image,
        seats,
        schedule: sessionStartingSoon(sim.clock.now()),
        instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    {
      clock: sim.clock,
      executionName,
      abortWhen: (event) =>
        abort && event.type === 'StateEntered' && event.state.name === 'WaitForSeats',
    },
  );
  sim.stepFunctions.record({ stateMachineArn: MACHINE, name: executionName, status: run.status });
  return run;
};

const ofClass = (sim: Sim, classId: string) =>
  liveInstances(sim).filter((i) => i.tags[TAG.classroom] === classId);
const groupsOf = (sim: Sim, classId: string) =>
  sim.ec2.securityGroups().filter((g) => g.tags[TAG.classroom] === classId);
const credentialsIn = (region: string, classId: string) =>
  parameterNamesUnder(region, `/bakehouse/local/classes/${classId}`);

/** The recipe baked twice, the second time forced: an older and a newer image of it. */
async function twoBakes(sim: Sim) {
  const older = await bake(sim, 'bake-older');
  const newer = await runLocal(
    'bake',
    { recipe, force: true },
    { clock: sim.clock, executionName: 'bake-newer' },
  );
  return { older, newer };
}

const imagesOf = (sim: Sim, bakeId: string) =>
  sim.ec2.images().filter((i) => i.tags[TAG.bake] === bakeId);

const entered = (run: { events: { type: string }[] }) =>
  run.events.flatMap((e) =>
    e.type === 'StateEntered' && 'state' in e
      ? [(e as { state: { name: string } }).state.name]
      : [],
  );

describe('the bake copies its tested image to the recipe regions', () => {
  it('ends with an available, encrypted, tested copy in each region, named on the image and recorded', async () => {
    const sim = simulatedAws();

    const run = await bake(sim);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const output = run.output as Output;
    expect(output.copies.map((c) => c.region)).toEqual(['eu-west-1', 'ap-southeast-2']);
    const images = imagesOf(sim, 'bake-copies');
    const source = images.find((i) => i.imageId === output.imageId);
    expect(source).toMatchObject({ region: 'us-east-1', state: 'available' });
    for (const copy of output.copies) {
      const image = images.find((i) => i.imageId === copy.imageId);
      expect(image).toMatchObject({ region: copy.region, state: 'available', encrypted: true });
      expect(image?.tags[TESTED_TAG]).toBe('true');
      expect(image?.tags[TAG.kind]).toBe('image');
    }
    expect(source?.tags[COPIES_TAG]).toBe(
      output.copies.map((c) => `${c.region}=${c.imageId}`).join(','),
    );
    expect(parseBakeRecord(await getBake(store, 'bake-copies'))).toMatchObject({
      state: 'baked',
      imageId: output.imageId,
      copies: output.copies,
    });
    expect(entered(run)).toContain('WaitForCopies');
    expect(liveInstances(sim)).toEqual([]);
  });

  it('reuses a tested image with its copies, copying nothing again', async () => {
    const sim = simulatedAws();

    const first = await bake(sim);
    const again = await bake(sim, 'bake-copies-again');

    expect(again.status).toBe('SUCCEEDED');
    expect(again.output).toMatchObject({
      reused: true,
      imageId: (first.output as Output).imageId,
      copies: (first.output as Output).copies,
    });
    expect(sim.calls['EC2:CopyImage']).toBe(2);
  });

  it('does not reuse a tested image whose copy is gone: it bakes again and copies afresh', async () => {
    const sim = simulatedAws();
    const first = await bake(sim);
    const eu = (first.output as Output).copies.find((c) => c.region === 'eu-west-1');
    await ec2Client('eu-west-1').send(new DeregisterImageCommand({ ImageId: eu?.imageId }));

    const again = await bake(sim, 'bake-copies-again');

    expect(again.status, again.cause).toBe('SUCCEEDED');
    const output = again.output as Output;
    expect(output.reused).toBe(false);
    expect(output.imageId).not.toBe((first.output as Output).imageId);
    expect(output.copies.map((c) => c.region)).toEqual(['eu-west-1', 'ap-southeast-2']);
    expect(sim.calls['EC2:CopyImage']).toBe(4);
    const copies = imagesOf(sim, 'bake-copies-again').filter((i) => i.region !== 'us-east-1');
    expect(copies.every((i) => i.state === 'available')).toBe(true);
    expect(copies.every((i) => i.tags[COPY_OF_TAG] === `us-east-1/${output.imageId}`)).toBe(true);
  });

  it('makes one copy per region when the responses of the copy, its checks and its record are lost', async () => {
    const sim = simulatedAws();

    const run = await bake(sim, 'bake-copies', ['CopyImage', 'CheckCopies', 'RecordCopies']);

    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(sim.calls['EC2:CopyImage']).toBe(4);
    const copies = imagesOf(sim, 'bake-copies').filter((i) => i.region !== 'us-east-1');
    expect(copies.map((c) => c.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    expect((run.output as Output).copies.map((c) => c.imageId).sort()).toEqual(
      copies.map((c) => c.imageId).sort(),
    );
  });

  it('fails a bake whose copy fails, naming the region, and deregisters the image and every copy', async () => {
    const sim = simulatedAws({ faults: { copyFails: 1 } });

    const run = await bake(sim);

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ImageFailedError');
    expect(run.cause).toMatch(
      /^CopyImage failed: ImageFailedError: the copy ami-\w+ in eu-west-1 is failed/,
    );
    const images = imagesOf(sim, 'bake-copies');
    expect(images.map((i) => i.region).sort()).toEqual([
      'ap-southeast-2',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(images.every((i) => i.state === 'deregistered')).toBe(true);
    const snapshots = new Set(sim.ec2.snapshots().map((s) => s.snapshotId));
    expect(images.flatMap((i) => i.snapshotIds).filter((id) => snapshots.has(id))).toEqual([]);
    expect(parseBakeRecord(await getBake(store, 'bake-copies'))).toMatchObject({
      state: 'failed',
      failure: expect.stringContaining('eu-west-1'),
    });
    expect(liveInstances(sim)).toEqual([]);
  });

  it("seats a class in a copied region from the copy there: EC2's there, credentials and email at home", async () => {
    const sim = simulatedAws();
    const baked = await bake(sim);

    const run = await seatIn(sim, 'eu-west-1', baked.output, 2, 'class-in-eu');

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const copy = (baked.output as Output).copies.find((c) => c.region === 'eu-west-1');
    const seats = ofClass(sim, 'class-in-eu');
    expect(seats).toHaveLength(2);
    expect(seats.every((i) => i.imageId === copy?.imageId)).toBe(true);
    expect(seats.every((i) => i.az.startsWith('eu-west-1'))).toBe(true);
    expect(groupsOf(sim, 'class-in-eu').map((g) => g.region)).toEqual(['eu-west-1']);
    expect(await credentialsIn('us-east-1', 'class-in-eu')).toHaveLength(2);
    expect(await credentialsIn('eu-west-1', 'class-in-eu')).toEqual([]);
    // The roster: the simulated SES has the sender verified at home only, as the stack's would be.
    expect(sim.ses.outbox.filter((m) => m.to.includes('ada@example.edu'))).toHaveLength(1);
  });

  it('an aborted class in a copied region is gone after the next nightly teardown', async () => {
    const sim = simulatedAws();
    const baked = await bake(sim);
    const aborted = await seatIn(sim, 'eu-west-1', baked.output, 2, 'class-aborted-eu', true);
    expect(aborted.status).toBe('ABORTED');
    const seats = ofClass(sim, 'class-aborted-eu').map((i) => i.instanceId);
    expect(seats).toHaveLength(2);

    const night = await nightlyTeardown(sim);
    await sim.executions.until(sim.clock.now() + 86_400_000);
    const nextNight = await nightlyTeardown(sim);

    const done = (kind: string) =>
      [...night.done, ...nextNight.done].filter((e) => e.kind === kind);
    expect(
      done('terminate-instance')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...seats].sort());
    expect(done('terminate-instance').every((e) => e.region === 'eu-west-1')).toBe(true);
    expect(ofClass(sim, 'class-aborted-eu')).toEqual([]);
    expect(groupsOf(sim, 'class-aborted-eu')).toEqual([]);
    expect(done('delete-security-group').map((e) => e.region)).toEqual(['eu-west-1']);
    expect(await credentialsIn('us-east-1', 'class-aborted-eu')).toEqual([]);
    // The first night finds the group still held by its seats shutting down; the next deletes it.
    expect(nextNight.couldNot).toEqual([]);
  });

  it("retention deregisters an older image's copies with their snapshots, and keeps the newest's", async () => {
    const sim = simulatedAws();
    const { older, newer } = await twoBakes(sim);
    Object.assign(process.env, { TEARDOWN_KEEP_IMAGES: '1', TEARDOWN_IMAGE_RETENTION_DAYS: '0' });

    try {
      await nightlyTeardown(sim);
    } finally {
      delete process.env.TEARDOWN_KEEP_IMAGES;
      delete process.env.TEARDOWN_IMAGE_RETENTION_DAYS;
    }

    expect(newer.status).toBe('SUCCEEDED');
    const snapshots = new Set(sim.ec2.snapshots().map((s) => s.snapshotId));
    const gone = imagesOf(sim, 'bake-older');
    expect(gone.map((i) => i.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    expect(gone.every((i) => i.state === 'deregistered')).toBe(true);
    expect(gone.flatMap((i) => i.snapshotIds).filter((id) => snapshots.has(id))).toEqual([]);
    expect((older.output as Output).copies).toHaveLength(2);
    const kept = imagesOf(sim, 'bake-newer');
    expect(kept).toHaveLength(3);
    expect(kept.every((i) => i.state === 'available')).toBe(true);
    expect(kept.flatMap((i) => i.snapshotIds).every((id) => snapshots.has(id))).toBe(true);
  });

  it('the teardown deregisters the copies whose source is gone, with their snapshots, and keeps one a seat uses', async () => {
    // Prepare: two bakes of the recipe; the older one's source deregistered without its copies
    // (as when the copies could not be deleted with it), and a class seated from its copy in
    // ap-southeast-2
    const sim = simulatedAws();
    const { older, newer } = await twoBakes(sim);
    const source = (older.output as Output).imageId;
    await ec2Client('us-east-1').send(new DeregisterImageCommand({ ImageId: source }));
    const seated = await seatIn(sim, 'ap-southeast-2', older.output, 1, 'class-in-ap');
    expect(seated.status, seated.cause).toBe('SUCCEEDED');
    const [eu, ap] = (older.output as Output).copies;

    // Act
    const preview = await nightlyTeardown(sim, true);
    const night = await nightlyTeardown(sim);

    // Assess
    const swept = (entries: { kind: string; id: string }[]) =>
      entries.filter((e) => e.kind === 'delete-image').map((e) => e.id);
    expect(swept(preview.wouldDo)).toEqual([eu?.imageId]);
    expect(swept(night.done)).toEqual([eu?.imageId]);
    expect(night.done[0]?.reason).toBe(
      `copy in eu-west-1 of ${source} (us-east-1), which no longer exists; no instance uses it`,
    );
    const images = imagesOf(sim, 'bake-older');
    const snapshots = new Set(sim.ec2.snapshots().map((s) => s.snapshotId));
    const euCopy = images.find((i) => i.imageId === eu?.imageId);
    expect(euCopy?.state).toBe('deregistered');
    expect(euCopy?.snapshotIds.filter((id) => snapshots.has(id))).toEqual([]);
    expect(images.find((i) => i.imageId === ap?.imageId)?.state).toBe('available');
    expect(newer.status).toBe('SUCCEEDED');
    expect(imagesOf(sim, 'bake-newer').every((i) => i.state === 'available')).toBe(true);
    expect(night.couldNot).toEqual([]);
  });
});
