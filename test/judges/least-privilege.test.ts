/**
 * The packaged template's roles judged by an IAM policy engine (@cloud-copilot/iam-simulate,
 * AGPL-3.0, used by this test only) against every AWS request the functions sent in the judged
 * runs: each call allowed, and the same calls on resources that are not the stack's denied.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefinition, ROOT, taskFunctions } from '../../local/serverless-config';
import { packagedTemplate, type Template } from '../packaging/packaged';
import { type Authorization, mutating, negativesOf } from './authorizations';
import { callsOf, decide, deniedCalls, type FunctionCall } from './iam-engine';
import { actionsOf, functionRoles, type Role, resourcesOf, roles, statementsOf } from './policies';
import { ACCOUNT, REGION, type Recording, recordScenarios, STACK } from './scenarios';

let template: Template;
let byFunction: Map<string, Role>;
let calls: FunctionCall[];
let recording: Recording;

const LOGS = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);
const key = (a: Authorization) => JSON.stringify([a.action, a.resource, a.context]);

function unique<T>(items: T[], by: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [by(i), i])).values()];
}

const functionKeys = () =>
  Object.keys(
    (yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as { functions: object })
      .functions,
  );

beforeAll(async () => {
  [template, recording] = await Promise.all([packagedTemplate(), recordScenarios()]);
  byFunction = functionRoles(template);
  calls = callsOf(template, recording.observed);
}, 300_000);

describe('the roles of the packaged template, judged by an IAM policy engine', () => {
  it('gives every function a role of its own, and there is no shared default role', () => {
    const keys = functionKeys();
    expect([...byFunction.keys()].sort()).toEqual([...keys].sort());
    expect(new Set([...byFunction.values()].map((r) => r.logicalId)).size).toBe(keys.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    for (const role of byFunction.values()) expect(role.managedPolicyArns).toEqual([]);
  });

  it('grants no wildcard action, and on every resource only reads', () => {
    for (const role of roles(template).values()) {
      for (const statement of statementsOf(role)) {
        expect(statement.Effect).toBe('Allow');
        for (const action of actionsOf(statement)) expect(action).not.toMatch(/(^|:)\*$/);
        if (resourcesOf(statement).includes('*'))
          for (const action of actionsOf(statement))
            expect(action, `${role.logicalId} ${statement.Sid}`).toMatch(
              /^[a-z0-9-]+:(Describe|Get|List)/,
            );
      }
    }
  });

  it('allows every call every function made', async () => {
    const { distinct, denied } = await deniedCalls(template, calls);
    console.log(
      `IAM engine: ${calls.length} checks from the recorded calls (${distinct} distinct), ${denied.length} denied`,
    );
    expect(distinct).toBeGreaterThan(100);
    expect(denied).toEqual([]);
  });

  it('denies those calls on untagged resources, other stacks, IMDSv1, unencrypted volumes, other roles and secrets', async () => {
    const cases = unique(
      calls
        .filter(
          (c) =>
            mutating(c.authorization) ||
            ['ssm:GetParameters', 'dynamodb:GetItem', 'dynamodb:Query'].includes(
              c.authorization.action,
            ),
        )
        .flatMap((c) => negativesOf(c.authorization).map((n) => ({ fn: c.fn, ...n }))),
      (c) => `${c.fn} ${c.why} ${key(c.authorization)}`,
    );
    const allowed: string[] = [];
    const whys: Record<string, number> = {};
    for (const { fn, why, authorization: a } of cases) {
      whys[why] = (whys[why] ?? 0) + 1;
      const role = byFunction.get(fn) as Role;
      if ((await decide(role, a)) === 'Allowed')
        allowed.push(`${fn}: ${a.action} on ${a.resource} (${why})`);
    }
    console.log(`IAM engine: ${cases.length} negative cases`, JSON.stringify(whys));
    expect(allowed).toEqual([]);
    expect(Object.keys(whys).sort()).toEqual(
      [
        'IMDSv1 allowed',
        "another stage's secret",
        "another stage's table",
        'another document',
        'another bucket, or outside the bakes prefix',
        'another role',
        "someone else's schedule",
        'tagged bakehouse-prod',
        'the other state machine',
        'the same in another region',
        'to another service',
        'unencrypted volume',
        'untagged',
      ].sort(),
    );
  });

  it('grants each function exactly the actions it was seen to call', () => {
    const used = new Map<string, Set<string>>();
    for (const { fn, authorization } of calls) {
      const set = used.get(fn) ?? new Set<string>();
      set.add(authorization.action);
      used.set(fn, set);
    }
    const lists: Record<string, string[]> = {};
    for (const [fn, role] of byFunction) {
      const granted = new Set(
        statementsOf(role)
          .flatMap(actionsOf)
          .filter((a) => !LOGS.has(a)),
      );
      lists[fn] = [...granted].sort();
      expect(lists[fn], fn).toEqual([...(used.get(fn) ?? [])].sort());
    }
    console.log('actions per function', JSON.stringify(lists, null, 1));
  });

  it('denies each function the calls that only other functions make', async () => {
    const allowed: string[] = [];
    let checked = 0;
    const mine = new Map<string, Set<string>>();
    for (const { fn, authorization } of calls)
      mine.set(fn, (mine.get(fn) ?? new Set()).add(authorization.action));
    const foreign = unique(calls, (c) => key(c.authorization));
    for (const [fn, role] of byFunction) {
      for (const { authorization: a } of foreign) {
        if (mine.get(fn)?.has(a.action)) continue;
        checked++;
        if ((await decide(role, a)) === 'Allowed')
          allowed.push(`${fn}: ${a.action} on ${a.resource}`);
      }
    }
    console.log(`IAM engine: ${checked} calls of other functions denied to each function`);
    expect(checked).toBeGreaterThan(1000);
    expect(allowed).toEqual([]);
  }, 420_000);

  it('lets each state machine invoke only its own functions', async () => {
    const all = [...byFunction.keys()];
    const lambdaArn = (fn: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${STACK}-${fn}`;
    const machines = roles(template);
    for (const [machine, roleId] of [
      ['bake', 'BakeStateMachineRole'],
      ['classroom', 'ClassroomStateMachineRole'],
    ] as const) {
      const role = machines.get(roleId) as Role;
      const own = new Set(taskFunctions(loadDefinition(machine)).map((t) => t.functionKey));
      expect(own.size).toBeGreaterThan(3);
      for (const fn of all) {
        const decision = await decide(role, {
          action: 'lambda:InvokeFunction',
          resource: lambdaArn(fn),
          context: {},
        });
        expect(decision === 'Allowed', `${machine} → ${fn}`).toBe(own.has(fn));
      }
      const state =
        template.Resources[machine === 'bake' ? 'BakeStateMachine' : 'ClassroomStateMachine'];
      expect(state?.Properties.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
  });

  it("lets a builder read only the script object named for it, and a seat or another bake's builder none", async () => {
    const instance = roles(template).get('InstanceRole') as Role;
    const puts = recording.observed
      .filter((o) => o.request.operation === 'PutObject')
      .map((o) => o.request.input as { Bucket: string; Key: string });
    expect(puts.length).toBeGreaterThan(0);
    const seat = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
    for (const put of puts) {
      const builder = /^bakes\/[^/]+\/(arn:aws:ec2:[^/]+\/i-[0-9a-f]+)\/build\.sh$/.exec(
        put.Key,
      )?.[1];
      expect(builder, put.Key).toBeDefined();
      const read = (source: string, key = put.Key, bucket = put.Bucket, action = 's3:GetObject') =>
        decide(instance, {
          action,
          resource: `arn:aws:s3:::${bucket}/${key}`,
          context: { 'ec2:SourceInstanceARN': source },
        });
      expect(await read(builder as string)).toBe('Allowed');
      expect(await read(seat)).not.toBe('Allowed');
      expect(await read(builder as string, `other/${put.Key}`)).not.toBe('Allowed');
      expect(
        await read(builder as string, put.Key, put.Bucket.replace('-dev-', '-prod-')),
      ).not.toBe('Allowed');
      expect(await read(builder as string, put.Key, put.Bucket, 's3:PutObject')).not.toBe(
        'Allowed',
      );
      expect(await read(builder as string, put.Key, put.Bucket, 's3:DeleteObject')).not.toBe(
        'Allowed',
      );
    }
  });

  it('lets the scheduler start only the classroom machine, with the steps the functions schedule, and the teardown schedule invoke only the teardown', async () => {
    const scheduler = roles(template).get('SchedulerRole') as Role;
    const all = recording.observed
      .filter((o) => o.request.operation === 'CreateSchedule')
      .map(
        (o) =>
          (o.request.input as { Target: { Arn: string; Input: string; RoleArn: string } }).Target,
      );
    // POST /teardown schedules the teardown function, as the teardown's own role (below).
    const teardownRole = `arn:aws:iam::${ACCOUNT}:role/TeardownScheduleRole`;
    const targets = all.filter((t) => t.RoleArn !== teardownRole);
    expect(targets.length).toBeGreaterThan(5);
    const teardowns = all.filter((t) => t.RoleArn === teardownRole);
    expect(teardowns.length).toBeGreaterThan(0);
    const invoker = roles(template).get('TeardownScheduleRole') as Role;
    for (const target of teardowns) {
      expect(target.Arn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${STACK}-teardown`);
      expect(Object.keys(JSON.parse(target.Input)).sort()).toEqual(['dryRun', 'now']);
      const invoke = { action: 'lambda:InvokeFunction', resource: target.Arn, context: {} };
      expect(await decide(invoker, invoke)).toBe('Allowed');
      const other = { ...invoke, resource: target.Arn.replace(/-teardown$/, '-launchSeats') };
      expect(await decide(invoker, other)).not.toBe('Allowed');
    }
    const machine = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STACK}-classroom`;
    for (const target of targets) {
      expect(target.Arn).toBe(machine);
      expect(Object.keys(JSON.parse(target.Input)).sort()).toEqual(['classId', 'session', 'step']);
      const start = { action: 'states:StartExecution', resource: target.Arn, context: {} };
      expect(await decide(scheduler, start)).toBe('Allowed');
      for (const { authorization } of negativesOf(start))
        expect(await decide(scheduler, authorization)).not.toBe('Allowed');
    }
    const stop = {
      action: 'ec2:StopInstances',
      resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`,
      context: {
        'aws:ResourceTag/bakehouse:stack': STACK,
        'ec2:ResourceTag/bakehouse:stack': STACK,
      },
    };
    expect(await decide(scheduler, stop)).not.toBe('Allowed');
  });
});
