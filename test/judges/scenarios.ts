/**
 * The runs the request judges look at: the bake and classroom machines in several variants
 * (volumes or none, spot and on-demand, failures that take the clean-up paths, retries whose
 * first response was lost) and both API functions, on the simulated AWS, configured as the
 * packaged dev stack is (stack bakehouse-dev, account 123456789012, us-east-1), on the exact clock
 * (simulated time jumps from timer to timer, so a run does not depend on the machine's load). Every request
 * is recorded with the tags that the resources it names carried when it was sent.
 */

import { DescribeSubnetsCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DeleteParameterCommand, InternalServerError } from '@aws-sdk/client-ssm';
import {
  deleteClass,
  extendClass,
  startClass,
  stopClass,
} from '../../functions/api/class-operations';
import { handler as classPage } from '../../functions/api/class-page';
import { handler as classroomPage } from '../../functions/api/classroom-page';
import { handler as getBake } from '../../functions/api/get-bake';
import { handler as getClassroom } from '../../functions/api/get-classroom';
import { handler as listBakes } from '../../functions/api/list-bakes';
import { handler as listClassrooms } from '../../functions/api/list-classrooms';
import { handler as pageAuthorizer } from '../../functions/api/page-authorizer';
import { addSeats, replaceSeat, resendEmail } from '../../functions/api/seat-operations';
import { handler as startBake } from '../../functions/api/start-bake';
import { handler as startClassroom } from '../../functions/api/start-classroom';
import { handler as cleanUpClassroom } from '../../functions/classroom/clean-up-classroom';
import { handler as retireClass } from '../../functions/classroom/retire-class';
import { requestTeardown, nightlyTeardown as teardown } from '../../functions/teardown/teardown';
import { ec2Client, ssmClient } from '../../layers/aws/clients';
import { scheduleExecution } from '../../layers/aws/scheduler';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { stepScheduleName } from '../../layers/core/classroom/plan/class-names';
import { TAG, type Tags } from '../../layers/core/tags';
import type { TeardownReport } from '../../layers/core/teardown/report';
import { resetConfig } from '../../layers/runtime/config';
import { loadRecipe } from '../../local/recipe-files';
import { asFunction, type RecordedRequest, Recorder } from '../../local/record';
import { runLocal } from '../../local/runner';
import { sessionStartingSoon, sessionsFrom } from '../../local/session-soon';
import type { SimOptions } from '../../local/sim';
import { fault } from '../../local/sim/kernel/errors';
import { LOCAL_SENDER, type Simulation, startSimulation } from '../../local/simulation';
import { LARGE_FILE, largeRepository } from '../fixtures/large-repository';
import { PACKAGED_SEAT_ZONE } from '../packaging/packaged';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const STACK = 'bakehouse-dev';

/** What serverless.yml gives the functions of the dev stage (see provider.environment). */
export const DEV_ENVIRONMENT = {
  STACK_NAME: STACK,
  STAGE: 'dev',
  INSTANCE_PROFILE_NAME: 'bakehouse-dev-instance',
  PARAMETER_PREFIX: '/bakehouse/dev',
  SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/bakehouse-dev-scheduler`,
  BAKE_STATE_MACHINE_ARN: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bakehouse-dev-bake`,
  CLASSROOM_STATE_MACHINE_ARN: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bakehouse-dev-classroom`,
  CLASSES_TABLE: 'bakehouse-dev-classes',
  TEARDOWN_FUNCTION_ARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:bakehouse-dev-teardown`,
  TEARDOWN_SCHEDULE_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/TeardownScheduleRole`,
  SCRIPT_BUCKET: `bakehouse-dev-scripts-${ACCOUNT}-${REGION}`,
  ACCOUNT_ID: ACCOUNT,
  /** deliverRoster's own (the HTTP API's address), for the class page's link. */
  API_URL: 'https://abcdef1234.execute-api.us-east-1.amazonaws.com',
  SEAT_HOSTED_ZONE_ID: PACKAGED_SEAT_ZONE,
};

export interface Observed {
  request: RecordedRequest;
  /**
   * Tags of every EC2 resource (instance and its volumes, image, snapshot, security group, spot
   * request, Elastic IP, also by its association id) at the time.
   */
  tags: ReadonlyMap<string, Tags>;
  scenario: string;
}

export interface Recording {
  observed: Observed[];
  /** scenario → status of its run */
  outcomes: Record<string, string>;
}

/**
 * Tags of every EC2 resource of `sim` now. An Elastic IP's tags are also kept under each
 * association id it has had (in `associations`, across calls): a request may name an association
 * that EC2 has just ended on its own (its instance terminated), and IAM still judges it by the
 * address.
 */
export function ec2Tags(
  sim: Simulation,
  associations = new Map<string, Tags>(),
): Map<string, Tags> {
  const tags = new Map<string, Tags>();
  for (const i of sim.ec2.instances()) {
    tags.set(i.instanceId, i.tags);
    for (const v of i.volumes) tags.set(v.volumeId, v.tags);
  }
  for (const i of sim.ec2.images()) tags.set(i.imageId, i.tags);
  for (const s of sim.ec2.snapshots()) tags.set(s.snapshotId, s.tags);
  for (const g of sim.ec2.securityGroups()) tags.set(g.groupId, g.tags);
  for (const r of sim.ec2.spotRequests()) tags.set(r.requestId, r.tags);
  for (const a of sim.ec2.addresses()) {
    tags.set(a.allocationId, a.tags);
    if (a.associationId) associations.set(a.associationId, a.tags);
  }
  for (const [id, addressTags] of associations) if (!tags.has(id)) tags.set(id, addressTags);
  return tags;
}

/**
 * RetireClass called as its state's retry would: the class's group is held until its seats have
 * terminated (30–60 s of simulated time), so it runs again a minute later, a few times at most.
 */
async function retireWhenFree(sim: Simulation, classId: string): Promise<{ state: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await asFunction('retireClass', () => retireClass({ classId }, {} as never))) as {
        state: string;
      };
    } catch (error) {
      if ((error as Error).name !== 'ResourceInUseError' || attempt === 5) throw error;
      await sim.executions.until(sim.clock.now() + 60_000);
    }
  }
}

const students = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `Student ${i + 1}`,
    email: `student${i + 1}@example.edu`,
  }));

const bakeRecipe = {
  name: 'stats-workshop',
  region: REGION,
  baseImage: '/aws/service/debian/release/12/latest/amd64',
  builder: { instanceType: 't3.large', timeoutMinutes: 30 },
  environment: { apt: ['r-base'], postBuild: 'echo ready > /etc/motd' },
};

/** The account's hosted zone for named seats, the one the packaged stack may change. */
const SEAT_ZONES = [{ id: PACKAGED_SEAT_ZONE, name: 'example.edu' }];
const SEAT_DNS = { hostedZoneId: PACKAGED_SEAT_ZONE, domain: 'classes.example.edu' };
const seatNames = (sim: Simulation) => sim.route53.records().filter((r) => r.type === 'A').length;

type Scenario = {
  name: string;
  sim?: SimOptions;
  run: (sim: Simulation) => Promise<string>;
};

const bake =
  (input: () => Promise<unknown>, failOnceAfterWork?: string[]) => async (sim: Simulation) =>
    (
      await runLocal('bake', await input(), {
        clock: sim.clock,
        executionName: 'bake-judged',
        environment: DEV_ENVIRONMENT,
        failOnceAfterWork,
      })
    ).status;

async function subnetIds() {
  const output = await ec2Client(REGION).send(new DescribeSubnetsCommand({}));
  return (output.Subnets ?? []).slice(0, 2).map((s) => s.SubnetId as string);
}

const classroom =
  (
    overrides: Record<string, unknown>,
    failOnceAfterWork?: string[],
    inSubnets = false,
    run: { executionName?: string; abortWhen?: (sim: Simulation) => boolean } = {},
  ) =>
  async (sim: Simulation) => {
    const image = await resolvePublicParameter(
      REGION,
      '/aws/service/debian/release/12/latest/amd64',
    );
    if (inSubnets) overrides.subnets = await subnetIds();
    const request = {
      name: 'intro-genomics',
      image,
      students: students(3),
      schedule: sessionStartingSoon(sim.clock.now()),
      instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
      sender: 'classes@example.edu',
      allowedCidrs: ['0.0.0.0/0', '::/0'],
      ...overrides,
    };
    return (
      await runLocal(
        'classroom',
        { request },
        {
          clock: sim.clock,
          executionName: run.executionName ?? 'class-judged',
          environment: DEV_ENVIRONMENT,
          failOnceAfterWork,
          abortWhen: (event) =>
            event.type === 'StateEntered' &&
            event.state.name === 'WaitForSeats' &&
            (run.abortWhen?.(sim) ?? false),
        },
      )
    ).status;
  };

/**
 * A night after a bake, a seated class whose seats were then ended by hand (the class is still
 * live in the class store: its stop schedule stays), a step schedule of a class that nothing
 * knows, and a class with named seats aborted mid-way (seats, credentials, group and seat names
 * left behind): the teardown, told to keep no image, removes all of it (six kinds of removal:
 * instances, the image with its snapshots, credentials, the orphaned schedule, the group, the
 * seat names) and emails the operator.
 */
async function nightAfter(sim: Simulation): Promise<string> {
  const machine = DEV_ENVIRONMENT.CLASSROOM_STATE_MACHINE_ARN;
  const baked = await bake(async () => ({ recipe: bakeRecipe }))(sim);
  const seated = await classroom({})(sim);
  sim.stepFunctions.record({ stateMachineArn: machine, name: 'class-judged', status: 'SUCCEEDED' });
  const seats = sim.ec2.instances().filter((i) => i.tags[TAG.classroom] === 'class-judged');
  await ec2Client(REGION).send(
    new TerminateInstancesCommand({ InstanceIds: seats.map((i) => i.instanceId) }),
  );
  await scheduleExecution(REGION, {
    name: stepScheduleName({ classId: 'class-orphaned' }, 'seat-0'),
    atExpression: 'at(2099-03-02T08:40:00)',
    stateMachineArn: machine,
    input: { classId: 'class-orphaned', step: 'seat', session: 0 },
    roleArn: DEV_ENVIRONMENT.SCHEDULER_ROLE_ARN,
    description: 'a step of a class the store does not know',
  });
  const aborted = await classroom({ dns: SEAT_DNS }, [], false, {
    executionName: 'class-aborted',
    abortWhen: (s) => s.ssm.parameters().some((p) => p.name.includes('/class-aborted/')),
  })(sim);
  sim.stepFunctions.record({ stateMachineArn: machine, name: 'class-aborted', status: 'ABORTED' });
  const settings = {
    OPERATOR_EMAIL: 'ops@example.edu',
    REPORT_SENDER: LOCAL_SENDER,
    TEARDOWN_KEEP_IMAGES: '0',
    TEARDOWN_IMAGE_RETENTION_DAYS: '0',
  };
  Object.assign(process.env, DEV_ENVIRONMENT, settings);
  resetConfig();
  try {
    const now = new Date(sim.clock.now()).toISOString();
    const dry = (await asFunction('requestTeardown', () =>
      requestTeardown(apiEvent({ query: { dryRun: 'true' } }), {} as never),
    )) as { statusCode: number; body: string };
    const report = (await asFunction('teardown', () =>
      teardown({ dryRun: false, now }, {} as never),
    )) as TeardownReport;
    const later = (await asFunction('requestTeardown', () =>
      requestTeardown(apiEvent({}), {} as never),
    )) as { statusCode: number };
    const kinds = new Set([...report.done, ...report.couldNot].map((e) => e.kind));
    const wouldDo = (JSON.parse(dry.body) as TeardownReport).wouldDo.length;
    return `${baked} ${seated} ${aborted}, dry run ${dry.statusCode} (${wouldDo} to do), then ${kinds.size} kinds of removal, then ${later.statusCode}`;
  } finally {
    for (const key of Object.keys(settings)) delete process.env[key];
    resetConfig();
  }
}

/** A class booked two days ahead for two sessions: every step of its life, each as scheduled. */
const lifecycle = async (sim: Simulation) => {
  const image = await resolvePublicParameter(REGION, '/aws/service/debian/release/12/latest/amd64');
  const sessions = sessionsFrom(sim.clock.now(), [
    { startMinutes: 2 * 24 * 60, minutes: 480 },
    { startMinutes: 3 * 24 * 60, minutes: 480 },
  ]);
  const booked = await runLocal(
    'classroom',
    {
      request: {
        name: 'two-mornings',
        image,
        students: students(2),
        sessions,
        timezone: 'UTC',
        retainDays: 1,
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    { clock: sim.clock, executionName: 'class-booked', environment: DEV_ENVIRONMENT },
  );
  const at = (local: string | undefined, minutes = 0) =>
    Date.parse(`${local}:00Z`) + minutes * 60_000;
  await sim.executions.until(at(sessions[0]?.start, -20));
  await sim.executions.until(at(sessions[0]?.end));
  await sim.executions.until(at(sessions[1]?.start, -20));
  await sim.executions.until(at(sessions[1]?.end));
  await sim.executions.until(at(sessions[1]?.end, 24 * 60));
  const steps = sim.executions.runs.map((r) => `${(r.input as { step: string }).step} ${r.status}`);
  return [`booked ${booked.status}`, ...steps].join(', ');
};

/** An API Gateway event of a route: its path parameters, query and body. */
const apiEvent = (parts: {
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
}) =>
  ({
    pathParameters: parts.path,
    queryStringParameters: parts.query,
    body: parts.body,
    headers: parts.body ? { 'content-type': 'application/json' } : {},
    isBase64Encoded: false,
  }) as never;

/**
 * A bake and a class booked a month ahead (nothing of it is due while the scenario runs), then
 * what an organizer reads of them: both lists, the bake (its record and its execution: the run
 * is entered in Step Functions as it ran), the class, and a class that failed before it was stored.
 */
const readBack = async (sim: Simulation) => {
  const machine = DEV_ENVIRONMENT.BAKE_STATE_MACHINE_ARN;
  const baked = await bake(async () => ({ recipe: bakeRecipe }))(sim);
  sim.stepFunctions.record({ stateMachineArn: machine, name: 'bake-judged', status: 'SUCCEEDED' });
  const [later] = sessionsFrom(sim.clock.now(), [{ startMinutes: 30 * 24 * 60, minutes: 180 }]);
  const seated = await classroom({ schedule: { ...later, timezone: 'UTC' } })(sim);
  Object.assign(process.env, DEV_ENVIRONMENT);
  resetConfig();
  const statuses: number[] = [];
  const read = async (fn: string, handler: typeof getBake, path?: Record<string, string>) => {
    const answer = (await asFunction(fn, () => handler(apiEvent({ path }), {} as never))) as {
      statusCode: number;
    };
    statuses.push(answer.statusCode);
  };
  await read('listBakes', listBakes);
  await read('getBake', getBake, { id: 'bake-judged' });
  await read('listClassrooms', listClassrooms);
  await read('getClassroom', getClassroom, { id: 'class-judged' });
  // A class whose execution failed before it stored the class: told from the execution.
  sim.stepFunctions.record({
    stateMachineArn: DEV_ENVIRONMENT.CLASSROOM_STATE_MACHINE_ARN,
    name: 'class-unplanned',
    status: 'FAILED',
    error: 'ValidationError',
    cause: 'image: no image ami-0123456789abcdef0',
  });
  await read('getClassroom', getClassroom, { id: 'class-unplanned' });
  await sim.executions.settled();
  return `${baked} ${seated}, read ${statuses.join(' ')}`;
};

const api = async () => {
  Object.assign(process.env, DEV_ENVIRONMENT);
  resetConfig();
  const post = (body: string, contentType: string) =>
    ({ body, headers: { 'content-type': contentType }, isBase64Encoded: false }) as never;
  const bakeAnswer = (await asFunction('startBake', () =>
    startBake(post(JSON.stringify(bakeRecipe), 'application/json'), {} as never),
  )) as { statusCode: number };
  const classAnswer = (await asFunction('startClassroom', () =>
    startClassroom(
      post(
        JSON.stringify({
          name: 'intro-genomics',
          image: 'ami-0123456789abcdef0',
          seats: 3,
          schedule: { start: '2099-03-02T09:00', end: '2099-03-02T12:00', timezone: 'UTC' },
          instructor: { email: 'ada@example.edu' },
          sender: 'classes@example.edu',
        }),
        'application/json',
      ),
      {} as never,
    ),
  )) as { statusCode: number };
  return `${bakeAnswer.statusCode} ${classAnswer.statusCode}`;
};

/**
 * A seated class's page: its link signed (the page key created on the way), the link checked by
 * the page authorizer, the page and its status read.
 */
const instructorPage = async (sim: Simulation) => {
  const seated = await classroom({})(sim);
  Object.assign(process.env, DEV_ENVIRONMENT);
  resetConfig();
  const classId = 'class-judged';
  const request = (routeKey: string, query?: Record<string, string>) =>
    ({
      routeKey,
      pathParameters: { id: classId },
      queryStringParameters: query,
      headers: {},
      requestContext: { domainName: 'api.example.edu' },
      isBase64Encoded: false,
    }) as never;
  // As before any roster went out (deliverRoster made the key on the way): the first link
  // signed makes the page key.
  await ssmClient(REGION).send(
    new DeleteParameterCommand({ Name: `${DEV_ENVIRONMENT.PARAMETER_PREFIX}/page-key` }),
  );
  const signed = (await asFunction('classroomPage', () =>
    classroomPage(request('POST /classrooms/{id}/page'), {} as never),
  )) as { statusCode: number; body: string };
  const query = Object.fromEntries(new URL(JSON.parse(signed.body).url).searchParams);
  const verdict = (await asFunction('pageAuthorizer', () =>
    pageAuthorizer(request('GET /page/{id}', query), {} as never),
  )) as { isAuthorized: boolean };
  const page = (await asFunction('classPage', () =>
    classPage(request('GET /page/{id}/status', query), {} as never),
  )) as { statusCode: number; body: string };
  const seats = (JSON.parse(page.body) as { class: { seats: unknown[] } }).class.seats.length;
  return `${seated}, link ${signed.statusCode}, ${verdict.isAuthorized ? 'let through' : 'refused'}, ${seats} seats shown`;
};
/** A seat operation's API handler called as API Gateway would; its status code. */
async function seatOperation(
  fn: 'addSeats' | 'replaceSeat' | 'resendEmail',
  pathParameters: Record<string, string>,
  body: unknown,
): Promise<number> {
  const handlers = { addSeats, replaceSeat, resendEmail };
  const event = {
    pathParameters,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
  } as never;
  const answer = (await asFunction(fn, () => handlers[fn](event, {} as never))) as {
    statusCode: number;
  };
  return answer.statusCode;
}

type Operation = (event: never, context: never) => Promise<unknown>;

/** Calls an operation's handler for class `id`, as its own function, as API Gateway would. */
async function operate(key: string, fn: Operation, id: string, body?: unknown) {
  Object.assign(process.env, DEV_ENVIRONMENT);
  resetConfig();
  const event = {
    pathParameters: { id },
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
  const answer = (await asFunction(key, () => fn(event as never, {} as never))) as {
    statusCode: number;
  };
  return answer.statusCode;
}

/**
 * A seated class changed through the API: two late students added, a seat replaced (its
 * instance ended), an email resent — each change an execution of the classroom machine.
 */
const changedClass =
  (overrides: Record<string, unknown>, failAddition = false) =>
  async (sim: Simulation) => {
    // A long session: on the scaled clock, a short one would end while the changes run.
    const schedule = sessionStartingSoon(sim.clock.now(), 48);
    const seated = await classroom({ ...overrides, schedule }, [], false, {
      executionName: 'class-changed',
    })(sim);
    Object.assign(process.env, DEV_ENVIRONMENT);
    resetConfig();
    const id = 'class-changed';
    const replaced = await seatOperation('replaceSeat', { id, seat: 'seat-001' }, {});
    const resent = await seatOperation('resendEmail', { id, seat: 'seat-002' }, {});
    await sim.executions.settled();
    if (failAddition)
      sim.register('SESv2', {
        GetAccount: () => {
          throw fault(InternalServerError, "the account's sending rate cannot be read");
        },
      });
    const added = await seatOperation('addSeats', { id }, { students: students(5).slice(3) });
    await sim.executions.settled();
    const changes = sim.executions.runs.map((r) => r.status).join(' ');
    return `${seated}, then ${replaced} ${resent} ${added}: ${changes}`;
  };

/**
 * A class of two sessions operated on through the API, on the exact clock: stopped now and
 * started again within its first session, that session extended by an hour (its stop schedule
 * moved), the second session started early (its start schedule cancelled), then deleted.
 */
const operated = async (sim: Simulation) => {
  const image = await resolvePublicParameter(REGION, '/aws/service/debian/release/12/latest/amd64');
  const sessions = sessionsFrom(sim.clock.now(), [
    { startMinutes: 20, minutes: 240 },
    { startMinutes: 24 * 60, minutes: 240 },
  ]);
  const id = 'class-operated';
  const booked = await runLocal(
    'classroom',
    {
      request: {
        name: 'operated',
        image,
        students: students(2),
        sessions,
        timezone: 'UTC',
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    { clock: sim.clock, executionName: id, environment: DEV_ENVIRONMENT },
  );
  const end = Date.parse(`${sessions[0]?.end}:00Z`);
  const answers: number[] = [];
  const step = async (key: string, fn: Operation, body?: unknown) => {
    answers.push(await operate(key, fn, id, body));
    await sim.executions.settled();
  };
  await sim.executions.until(sim.clock.now() + 60 * 60_000);
  await step('stopClass', stopClass);
  await step('startClass', startClass);
  await step('extendClass', extendClass, { end: new Date(end + 60 * 60_000).toISOString() });
  await sim.executions.until(end + 60 * 60_000);
  await step('startClass', startClass);
  await step('deleteClass', deleteClass);
  const steps = sim.executions.runs.map((r) => `${(r.input as { step: string }).step} ${r.status}`);
  return [`booked ${booked.status}`, `answered ${answers.join(' ')}`, ...steps].join(', ');
};

/**
 * A budgeted class run past what it was booked for, on the exact clock: extended by twelve hours,
 * its budget looked at by its own schedules, its seats stopped before spending crosses the budget
 * and the instructor told; then started again past its budget, and deleted.
 */
const overBudget = async (sim: Simulation) => {
  const image = await resolvePublicParameter(REGION, '/aws/service/debian/release/12/latest/amd64');
  const sessions = sessionsFrom(sim.clock.now(), [{ startMinutes: 20, minutes: 120 }]);
  const id = 'class-over-budget';
  const booked = await runLocal(
    'classroom',
    {
      request: {
        name: 'over-budget',
        image,
        students: students(2),
        sessions,
        timezone: 'UTC',
        retainDays: 1,
        budgetUSD: 1,
        instructor: { email: 'ada@example.edu' },
        sender: 'classes@example.edu',
      },
    },
    { clock: sim.clock, executionName: id, environment: DEV_ENVIRONMENT },
  );
  const end = Date.parse(`${sessions[0]?.end}:00Z`) + 12 * 60 * 60_000;
  const answers = [
    await operate('extendClass', extendClass, id, { end: new Date(end).toISOString() }),
  ];
  await sim.executions.until(end - 60 * 60_000);
  answers.push(await operate('startClass', startClass, id));
  await sim.executions.settled();
  answers.push(await operate('deleteClass', deleteClass, id));
  await sim.executions.settled();
  const steps = sim.executions.runs.map((r) => `${(r.input as { step: string }).step} ${r.status}`);
  const budget = steps.filter((s) => s.startsWith('budget'));
  const watched = budget.length > 1 && budget.every((s) => s.endsWith('SUCCEEDED'));
  const told = sim.ses.outbox.filter((m) => /seats stopped to stay within/.test(m.subject ?? ''));
  return [
    `booked ${booked.status}`,
    `answered ${answers.join(' ')}`,
    watched ? 'budget watched' : budget.join(' '),
    `instructor told ${told.length} time(s)`,
    ...steps.filter((s) => !s.startsWith('budget')),
  ].join(', ');
};

const SCENARIOS: Scenario[] = [
  {
    name: 'bake with an encrypted scratch volume and recipe tags',
    run: bake(async () => ({
      recipe: await loadRecipe('examples/recipes/genomics-workshop.yaml'),
    })),
  },
  {
    name: 'bake with no extra volume, its builder in a named subnet',
    run: bake(async () => {
      const [subnetId] = await subnetIds();
      return { recipe: { ...bakeRecipe, builder: { ...bakeRecipe.builder, subnetId } } };
    }),
  },
  {
    name: 'bake whose launch and image responses are lost once',
    run: bake(async () => ({ recipe: bakeRecipe }), ['LaunchBuilder', 'CreateImage']),
  },
  {
    name: 'bake copied to two regions, the copy and its responses lost once',
    run: bake(
      async () => ({ recipe: { ...bakeRecipe, regions: ['eu-west-1', 'ap-southeast-2'] } }),
      ['CopyImage', 'RecordCopies'],
    ),
  },
  {
    name: 'bake whose copy fails: clean-up deletes the image and the copies',
    sim: { faults: { copyFails: 1 } },
    run: bake(async () => ({
      recipe: { ...bakeRecipe, regions: ['eu-west-1', 'ap-southeast-2'] },
    })),
  },
  {
    name: 'bake whose image fails: clean-up deletes it and its snapshots',
    sim: { faults: { imageFails: 1 } },
    run: bake(async () => ({ recipe: bakeRecipe })),
  },
  {
    name: 'bake whose script fails: clean-up terminates the builder',
    sim: { faults: { commandFails: { match: 'bakehouse: phase' } } },
    run: bake(async () => ({ recipe: bakeRecipe })),
  },
  {
    name: 'bake of a repository larger than one command: its script travels through S3',
    run: bake(async () => ({ recipe: { ...bakeRecipe, repository: largeRepository() } })),
  },
  {
    name: 'bake of a large repository whose script fails: clean-up deletes its object',
    sim: { faults: { commandFails: { match: LARGE_FILE } } },
    run: bake(async () => ({ recipe: { ...bakeRecipe, repository: largeRepository() } })),
  },
  { name: 'classroom on demand', run: classroom({}) },
  {
    name: 'classroom of seats without students: the instructor gets their credentials',
    run: classroom({ students: undefined, seats: 2 }),
  },
  { name: 'classroom without TLS, on Jupyter port', run: classroom({ tls: { mode: 'none' } }) },
  { name: 'classroom on spot in two named subnets', run: classroom({ spot: true }, [], true) },
  {
    name: 'classroom on spot without spot capacity, on demand instead',
    sim: { faults: { capacity: [{ market: 'spot' }] } },
    run: classroom({ spot: true }),
  },
  {
    name: 'classroom with a seat that fails its check and is replaced',
    sim: { faults: { seatAuthBroken: { count: 1 } } },
    run: classroom({}, ['PrepareNetwork', 'LaunchSeats']),
  },
  {
    name: 'classroom on spot with a seat that fails its check: its spot request cancelled, the seat replaced',
    sim: { faults: { seatAuthBroken: { count: 1 } } },
    run: classroom({ spot: true }),
  },
  {
    name: 'classroom on spot failing mid-way: clean-up cancels the spot requests, then ends the seats',
    sim: { faults: { errors: [{ call: 'SESv2:GetAccount', kind: 'access-denied' }] } },
    run: classroom({ spot: true }),
  },
  {
    name: 'classroom failing mid-way: clean-up ends seats, credentials, schedules, group',
    sim: { faults: { errors: [{ call: 'SESv2:GetAccount', kind: 'access-denied' }] } },
    run: classroom({}),
  },
  {
    name: 'classroom seated, then its clean-up run on it (a failure after the seats and schedule)',
    run: async (sim) => {
      const seated = await classroom({})(sim);
      const classId = sim.ec2.instances()[0]?.tags[TAG.classroom] ?? '';
      const region = REGION;
      const failed = { EmailStudents: { Error: 'States.Timeout', Cause: '' } };
      const outcome = (await asFunction('cleanUpClassroom', () =>
        cleanUpClassroom({ region, classId, failed }, {} as never),
      )) as { cause: string };
      return `${seated}, then ${outcome.cause.includes('Cleaned up') ? 'cleaned up' : 'nothing to clean'}`;
    },
  },
  {
    name: 'classroom over two sessions: booked, seated, stopped, started, ended, retired',
    run: lifecycle,
  },
  {
    name: 'classroom with its seats named in a Route 53 zone, then retired (the names deleted)',
    sim: { hostedZones: SEAT_ZONES },
    run: async (sim) => {
      const seated = await classroom({ dns: SEAT_DNS })(sim);
      const named = seatNames(sim);
      const classId = sim.ec2.instances()[0]?.tags[TAG.classroom] ?? '';
      const retired = await retireWhenFree(sim, classId);
      return `${seated} with ${named} names, then ${retired.state} with ${seatNames(sim)} left`;
    },
  },
  {
    name: 'classroom with its seats named in a Route 53 zone, then its clean-up run on it',
    sim: { hostedZones: SEAT_ZONES },
    run: async (sim) => {
      const seated = await classroom({ dns: SEAT_DNS })(sim);
      const named = seatNames(sim);
      const classId = sim.ec2.instances()[0]?.tags[TAG.classroom] ?? '';
      const failed = { EmailStudents: { Error: 'States.Timeout', Cause: '' } };
      await asFunction('cleanUpClassroom', () =>
        cleanUpClassroom({ region: REGION, classId, failed }, {} as never),
      );
      return `${seated} with ${named} names, then cleaned up with ${seatNames(sim)} left`;
    },
  },
  {
    name: 'spot classroom seated, then retired at once (its pending stop schedule deleted)',
    run: async (sim) => {
      // Spot seats: retirement cancels their persistent requests before terminating them.
      const seated = await classroom({ spot: true })(sim);
      const classId = sim.ec2.instances()[0]?.tags[TAG.classroom] ?? '';
      const retired = await retireWhenFree(sim, classId);
      return `${seated}, then ${retired.state}`;
    },
  },
  {
    name: 'API: start a bake and a classroom',
    run: async (sim) => {
      sim.register('SFN', {
        StartExecution: (input) => ({
          executionArn: `${String(input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${String(input.name)}`,
          startDate: new Date(),
        }),
      });
      return api();
    },
  },
  { name: 'API: list and read a bake and a class', run: readBack },
  {
    name: 'nightly teardown after a bake, an emptied class and an aborted one with named seats',
    sim: { hostedZones: SEAT_ZONES },
    run: nightAfter,
  },
  { name: "a seated class's page: link, authorizer, status", run: instructorPage },
  {
    name: 'classroom seated, then a seat replaced, an email resent and two late students added',
    run: changedClass({}),
  },
  {
    name: 'spot classroom: a seat replaced (its spot request cancelled), then an addition that fails mid-way and ends what it launched',
    run: changedClass({ spot: true }, true),
  },
  {
    name: 'classroom operated on: stopped, started, extended, started early, deleted',
    sim: { clock: 'exact', scale: 0 },
    run: operated,
  },
  {
    name: 'classroom over its budget: extended, watched, stopped, the instructor told, started again, deleted',
    sim: { clock: 'exact', scale: 0 },
    run: overBudget,
  },
  {
    name: 'classroom in the SES sandbox: unverified students are listed, not emailed, and the roster is not delivered',
    sim: { sesSandbox: { verified: ['student1@example.edu'] } },
    run: classroom({}),
  },
  {
    name: 'classroom named in a Route 53 zone whose first AllocateAddress is throttled: the poll allocates, names and launches its seats',
    sim: { hostedZones: SEAT_ZONES, faults: { throttle: { 'EC2:AllocateAddress': 1 } } },
    run: async (sim) => {
      const seated = await classroom({ dns: SEAT_DNS })(sim);
      return `${seated} with ${seatNames(sim)} names and ${sim.ec2.addresses().length} addresses`;
    },
  },
];

/** Runs every scenario on a fresh simulated account and records every request. */
export async function recordScenarios(): Promise<Recording> {
  const observed: Observed[] = [];
  const outcomes: Record<string, string> = {};
  for (const scenario of SCENARIOS) {
    const recorder = new Recorder();
    const sim = startSimulation(
      {
        clock: 'exact',
        scale: 0,
        seed: 11,
        start: Date.UTC(2026, 10, 2, 9, 0, 0),
        account: ACCOUNT,
        region: REGION,
        outboxDir: '.cache/judge-outbox',
        instanceProfiles: [DEV_ENVIRONMENT.INSTANCE_PROFILE_NAME],
        ...scenario.sim,
      },
      { recorder, classesTable: DEV_ENVIRONMENT.CLASSES_TABLE, environment: DEV_ENVIRONMENT },
    );
    const associations = new Map<string, Tags>();
    recorder.onRequest((request) =>
      observed.push({ request, tags: ec2Tags(sim, associations), scenario: scenario.name }),
    );
    outcomes[scenario.name] = await scenario.run(sim);
  }
  return { observed, outcomes };
}
