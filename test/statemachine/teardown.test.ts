/**
 * The nightly teardown on the simulated AWS, after real classroom runs: an execution aborted
 * in the middle of its fan-out leaves seats, credentials, a security group and its seats' names
 * in Route 53 behind; the next teardown ends them, and leaves a class that is still on alone.
 */
import { readdirSync, rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { nameSeats } from '../../layers/aws/route53';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { TAG } from '../../layers/core/tags';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon } from '../../local/session-soon';
import { PACKAGED_SEAT_ZONE } from '../packaging/packaged';
import {
  liveInstances,
  CLASSROOM_MACHINE as MACHINE,
  nightlyTeardown,
  simulatedAws,
} from './simulated';

const OUTBOX = '.cache/test-outbox-teardown';
const DAY = 86_400_000;

type Sim = ReturnType<typeof simulatedAws>;

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `s${i + 1}@example.edu`,
  }));

const ofClass = (sim: Sim, classId: string) =>
  liveInstances(sim).filter((i) => i.tags[TAG.classroom] === classId);
const credentialsOf = (sim: Sim, classId: string) =>
  sim.ssm.parameters().filter((p) => p.name.startsWith(`/bakehouse/local/classes/${classId}/`));
const groupsOf = (sim: Sim, classId: string) =>
  sim.ec2.securityGroups().filter((g) => g.tags[TAG.classroom] === classId);

/** The account's zone for named seats: the one the packaged stack may change. */
const SEAT_ZONES = [{ id: PACKAGED_SEAT_ZONE, name: 'example.edu' }];
const DNS = { hostedZoneId: PACKAGED_SEAT_ZONE, domain: 'classes.example.edu' };

const seatNamesOf = (sim: Sim, classLabel: string) =>
  sim.route53
    .records()
    .filter((r) => r.type === 'A' && r.name.includes(`.${classLabel}-`))
    .map((r) => r.name);

/**
 * Seats a class; `abort`: abort it at the first wait between polls after its credentials are
 * stored; `dns`: its seats named in the account's zone.
 */
async function seatClass(sim: Sim, name: string, abort = false, dns?: typeof DNS) {
  const image = await resolvePublicParameter(
    'us-east-1',
    '/aws/service/debian/release/12/latest/amd64',
  );
  const run = await runLocal(
    'classroom',
    {
      request: {
        name: dns ? name : 'intro-genomics',
        image,
        ...(dns ? { dns } : {}),
        students: students(3),
        schedule: sessionStartingSoon(sim.clock.now()),
        instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    {
      clock: sim.clock,
      executionName: name,
      environment: { SEAT_HOSTED_ZONE_ID: PACKAGED_SEAT_ZONE },
      abortWhen: (event) =>
        abort &&
        event.type === 'StateEntered' &&
        event.state.name === 'WaitForSeats' &&
        credentialsOf(sim, name).length > 0,
    },
  );
  // What Step Functions would answer DescribeExecution with for this run.
  sim.stepFunctions.record({ stateMachineArn: MACHINE, name, status: run.status });
  return run;
}

beforeEach(() => {
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe('the nightly teardown after an aborted classroom', () => {
  it("ends an aborted class's seats, credentials and group, and leaves a running class alone", async () => {
    // Prepare
    const sim = simulatedAws({ outboxDir: OUTBOX });
    const kept = await seatClass(sim, 'class-kept');
    const aborted = await seatClass(sim, 'class-aborted', true);
    expect(kept.status, kept.cause).toBe('SUCCEEDED');
    expect(aborted.status).toBe('ABORTED');
    expect(ofClass(sim, 'class-aborted').length).toBeGreaterThan(0);
    expect(credentialsOf(sim, 'class-aborted').length).toBeGreaterThan(0);
    expect(groupsOf(sim, 'class-aborted')).toHaveLength(1);
    const seats = ofClass(sim, 'class-aborted').map((i) => i.instanceId);

    // Act: a dry run first, then the night's run, then the next night's
    const preview = await nightlyTeardown(sim, true);
    const untouched = liveInstances(sim).length;
    const night = await nightlyTeardown(sim);
    await sim.executions.until(sim.clock.now() + DAY);
    const nextNight = await nightlyTeardown(sim);

    // Assess
    expect(preview.done).toEqual([]);
    expect(untouched).toBe(seats.length + 3);
    expect(new Set(preview.wouldDo.map((e) => `${e.kind} ${e.id}`))).toEqual(
      new Set([...night.done, ...night.couldNot].map((e) => `${e.kind} ${e.id}`)),
    );
    expect(
      night.done
        .filter((e) => e.kind === 'terminate-instance')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...seats].sort());
    expect(night.done.find((e) => e.kind === 'terminate-instance')?.reason).toBe(
      'seat of class class-aborted, which is aborted',
    );
    expect(ofClass(sim, 'class-aborted')).toEqual([]);
    expect(credentialsOf(sim, 'class-aborted')).toEqual([]);
    expect(groupsOf(sim, 'class-aborted')).toEqual([]);
    expect(
      [...night.done, ...nextNight.done].filter((e) => e.kind === 'delete-security-group'),
    ).toHaveLength(1);
    // The class still on keeps everything.
    expect(ofClass(sim, 'class-kept')).toHaveLength(3);
    expect(credentialsOf(sim, 'class-kept')).toHaveLength(3);
    expect(groupsOf(sim, 'class-kept')).toHaveLength(1);
    expect(sim.scheduler.schedules()).toHaveLength(1);
    // The operator got a report each night.
    const reports = readdirSync(OUTBOX).filter((f) => f.includes('ops'));
    expect(reports).toHaveLength(3);
  }, 60_000);

  it("deletes an aborted class's seat names in Route 53, and keeps a running class's and every other name", async () => {
    // Prepare: two named classes in one zone, one of them aborted, and a name no class made
    const sim = simulatedAws({ outboxDir: OUTBOX, hostedZones: SEAT_ZONES });
    const kept = await seatClass(sim, 'named-kept', false, DNS);
    const aborted = await seatClass(sim, 'named-aborted', true, DNS);
    expect(kept.status, kept.cause).toBe('SUCCEEDED');
    expect(aborted.status).toBe('ABORTED');
    const keptNames = seatNamesOf(sim, 'named-kept');
    const abortedNames = seatNamesOf(sim, 'named-aborted');
    expect(keptNames).toHaveLength(3);
    expect(abortedNames.length).toBeGreaterThan(0);
    const label = abortedNames[0]?.split('.')[1] ?? '';
    await nameSeats(PACKAGED_SEAT_ZONE, [
      { name: `www.${label}.classes.example.edu`, address: '198.51.100.7' },
    ]);

    // Act
    const preview = await nightlyTeardown(sim, true);
    const night = await nightlyTeardown(sim);
    const nextNight = await nightlyTeardown(sim);

    // Assess
    const names = (entries: { kind: string; id: string }[]) =>
      entries
        .filter((e) => e.kind === 'delete-record')
        .map((e) => `${e.id}.`)
        .sort();
    expect(names(preview.wouldDo)).toEqual([...abortedNames].sort());
    expect(names(night.done)).toEqual([...abortedNames].sort());
    expect(night.done.find((e) => e.kind === 'delete-record')?.reason).toBe(
      'seat name of a class that is over: class named-aborted is aborted',
    );
    expect(seatNamesOf(sim, 'named-aborted')).toEqual([`www.${label}.classes.example.edu.`]);
    expect(seatNamesOf(sim, 'named-kept')).toEqual(keptNames);
    expect(names(nextNight.done)).toEqual([]);
    expect(names(nextNight.couldNot)).toEqual([]);
  }, 60_000);
});
