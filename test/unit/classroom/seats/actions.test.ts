import { argon2Verify } from 'hash-wasm';
import { beforeEach, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../../../layers/core/classroom/credentials';
import type { ClassPlan } from '../../../../layers/core/classroom/plan/class-plan';
import {
  SEAT_SCRIPT_TIMEOUT_SECONDS,
  type SeatDeps,
  seatActions,
} from '../../../../layers/core/classroom/seats/actions';
import type { BatchSeat } from '../../../../layers/core/classroom/seats/lifecycle';
import { instance } from './fixtures';

const plan = {
  classId: 'intro-1',
  name: 'intro',
  region: 'eu-west-1',
  port: 8888,
  tls: { mode: 'none' },
  parameterPath: '/bakehouse/dev/classes/intro-1',
  placements: [{ instanceType: 't3.medium', market: 'on-demand' }],
  stackName: 'bakehouse-dev',
  schedule: { endsAt: '2026-03-10T16:00:00.000Z' },
  sessions: [
    {
      start: '2026-03-10T13:00',
      end: '2026-03-10T16:00',
      startsAt: '2026-03-10T13:00:00.000Z',
      endsAt: '2026-03-10T16:00:00.000Z',
    },
  ],
  retainDays: 7,
} as ClassPlan;
const spotPlan = {
  ...plan,
  placements: [
    { instanceType: 't3.medium', market: 'spot' },
    { instanceType: 't3.medium', market: 'on-demand' },
  ],
} as ClassPlan;
const httpsPlan = {
  ...plan,
  tls: { mode: 'acme', directory: 'https://acme.example.org/directory' },
} as ClassPlan;

const seat = (n: number, extra: Partial<BatchSeat> = {}): BatchSeat => ({
  seatId: `seat-00${n}`,
  student: null,
  phase: 'online',
  attempt: 0,
  polls: 0,
  instanceId: `i-0000000${n}`,
  publicIp: `198.51.100.${n}`,
  ...extra,
});

/** Fake adapters that record what they were asked; random bytes count up from 0. */
function fakeDeps() {
  const stored = new Map<string, { value: string; description: string }>();
  const sent: Parameters<SeatDeps['sendScript']>[0][] = [];
  const calls: { name: string; args: unknown }[] = [];
  let next = 0;
  const deps: SeatDeps = {
    describeInstances: async (ids) => {
      calls.push({ name: 'describeInstances', args: ids });
      return ids.map((id) => ({ ...instance(id), spotRequestId: `sir-${id.slice(2)}` }));
    },
    onlineAgents: async (ids) => {
      calls.push({ name: 'onlineAgents', args: ids });
      return new Set(ids.slice(0, 1));
    },
    putSecureParameter: async (name, value, description) => {
      stored.set(name, { value, description });
    },
    secureParameters: async (names) => {
      calls.push({ name: 'secureParameters', args: names });
      return new Map(
        names.flatMap((n) => {
          const found = stored.get(n);
          return found ? [[n, found.value] as const] : [];
        }),
      );
    },
    sendScript: async (request) => {
      sent.push(request);
      return 'command-1';
    },
    listInvocations: async (commandId) => {
      calls.push({ name: 'listInvocations', args: commandId });
      return commandId === 'command-1'
        ? [{ instanceId: 'i-00000001', status: 'Success', stdout: 'ready' }]
        : [{ instanceId: 'i-00000002', status: 'Failed', stdout: 'Jupyter exited' }];
    },
    probeSeat: async (target) => {
      calls.push({ name: 'probeSeat', args: target });
      return { ready: true };
    },
    cancelSpotRequests: async (ids) => {
      calls.push({ name: 'cancelSpotRequests', args: ids });
    },
    terminateInstances: async (ids) => {
      calls.push({ name: 'terminateInstances', args: ids });
    },
    seatAddresses: async (request) => {
      calls.push({ name: 'seatAddresses', args: request });
      return new Map(
        request.seats.map((s) => [s.instanceId, `203.0.113.${s.instanceId.slice(-1)}`]),
      );
    },
    nameSeats: async (request) => {
      calls.push({ name: 'nameSeats', args: request });
    },
    randomBytes: (n) => Uint8Array.from({ length: n }, () => next++ % 256),
  };
  return { deps, stored, sent, calls };
}

let fake: ReturnType<typeof fakeDeps>;
beforeEach(() => {
  fake = fakeDeps();
});

describe('seatActions.configure', () => {
  it('stores one credential per seat under the class path, batch and seat', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    await actions.configure([seat(1), seat(2)]);

    // Assess
    expect([...fake.stored.keys()]).toEqual([
      '/bakehouse/dev/classes/intro-1/b03/seat-001',
      '/bakehouse/dev/classes/intro-1/b03/seat-002',
    ]);
    const first = fake.stored.get('/bakehouse/dev/classes/intro-1/b03/seat-001');
    expect(first?.description).toBe('bakehouse intro seat-001');
    expect(JSON.parse(first?.value ?? '{}')).toEqual({
      password: expect.stringMatching(/^[2-9a-z]{4}(-[2-9a-z]{4}){3}$/),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('sends one batch script to every seat, with a 600 s timeout, and returns its command id', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    const commandId = await actions.configure([seat(1), seat(2)]);

    // Assess
    expect(commandId).toBe('command-1');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      instanceIds: ['i-00000001', 'i-00000002'],
      timeoutSeconds: 600,
      comment: 'bakehouse seats intro-1 b03',
    });
    expect(SEAT_SCRIPT_TIMEOUT_SECONDS).toBe(600);
    expect(fake.sent[0]?.script).toContain("JUPYTER_PORT='8888'");
  });

  it('sends the password hash and token digest of what it stored, never the plaintext', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    await actions.configure([seat(1)]);

    // Assess
    const credential = JSON.parse(
      fake.stored.get('/bakehouse/dev/classes/intro-1/b03/seat-001')?.value ?? '{}',
    ) as { password: string; token: string };
    const script = fake.sent[0]?.script ?? '';
    expect(script).not.toContain(credential.password);
    expect(script).not.toContain(credential.token);
    expect(script).toContain(`TOKEN_SHA256='${tokenDigest(credential.token)}'`);
    const hash = /PASSWORD_HASH='argon2:([^']+)'/.exec(script)?.[1] ?? '';
    expect(await argon2Verify({ password: credential.password, hash })).toBe(true);
  });
});

describe('seatActions.invocations', () => {
  it('lists every command and keys status and output by instance', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    const invocations = await actions.invocations(['command-1', 'command-2']);

    // Assess
    expect(invocations).toEqual(
      new Map([
        ['i-00000001', { status: 'Success', output: 'ready' }],
        ['i-00000002', { status: 'Failed', output: 'Jupyter exited' }],
      ]),
    );
  });
});

describe('seatActions with TLS', () => {
  it("gives each seat its tagged Elastic IP and names that address in the seat's certificate", async () => {
    // Prepare
    const actions = seatActions(httpsPlan, 'b03', fake.deps);

    // Act
    await actions.configure([seat(1), seat(2)]);

    // Assess
    expect(fake.calls.filter((c) => c.name === 'seatAddresses').map((c) => c.args)).toEqual([
      {
        find: { 'bakehouse:class': 'intro-1' },
        seats: [
          {
            instanceId: 'i-00000001',
            tags: {
              Name: 'intro seat-001',
              'bakehouse:stack': 'bakehouse-dev',
              'bakehouse:kind': 'address',
              'bakehouse:class': 'intro-1',
              // The class's retirement: 7 days after its last session.
              'bakehouse:expires-at': '2026-03-17T16:00:00.000Z',
              'bakehouse:seat': 'seat-001',
            },
          },
          expect.objectContaining({ instanceId: 'i-00000002' }),
        ],
      },
    ]);
    const script = fake.sent[0]?.script ?? '';
    expect(script).toContain("TLS_MODE='acme'");
    expect(script).toContain("ACME_DIRECTORY='https://acme.example.org/directory'");
    expect(script).toContain("  SEAT_HOST='203.0.113.1'");
    expect(script).toContain("  SEAT_HOST='203.0.113.2'");
  });

  it('probes the seat over HTTPS on its address, without a port', async () => {
    // Prepare
    const actions = seatActions(httpsPlan, 'b03', fake.deps);
    await actions.configure([seat(1)]);

    // Act
    await actions.probe([seat(1, { phase: 'configuring', publicIp: '203.0.113.1' })]);

    // Assess
    expect(fake.calls.find((c) => c.name === 'probeSeat')?.args).toMatchObject({
      url: 'https://203.0.113.1/',
    });
  });

  it('allocates no address for a class without TLS', async () => {
    // Act
    await seatActions(plan, 'b03', fake.deps).configure([seat(1)]);

    // Assess
    expect(fake.calls.some((c) => c.name === 'seatAddresses')).toBe(false);
    expect(fake.calls.some((c) => c.name === 'nameSeats')).toBe(false);
    expect(fake.sent[0]?.script).toContain("TLS_MODE='none'");
  });
});

describe('seatActions with a DNS zone', () => {
  const dnsPlan = {
    ...httpsPlan,
    dns: { hostedZoneId: 'Z0123456789ABC', domain: 'classes.example.org', label: 'intro-4f1c2a' },
  } as ClassPlan;

  it("points each seat's name at its Elastic IP before the certificate names it", async () => {
    // Act
    await seatActions(dnsPlan, 'b03', fake.deps).configure([seat(1), seat(2)]);

    // Assess
    const order = fake.calls.map((c) => c.name);
    expect(order.indexOf('seatAddresses')).toBeLessThan(order.indexOf('nameSeats'));
    expect(fake.calls.find((c) => c.name === 'nameSeats')?.args).toEqual({
      hostedZoneId: 'Z0123456789ABC',
      records: [
        { name: 'seat-001.intro-4f1c2a.classes.example.org', address: '203.0.113.1' },
        { name: 'seat-002.intro-4f1c2a.classes.example.org', address: '203.0.113.2' },
      ],
    });
    const script = fake.sent[0]?.script ?? '';
    expect(script).toContain("  SEAT_HOST='seat-001.intro-4f1c2a.classes.example.org'");
    expect(script).toContain("  SEAT_HOST='seat-002.intro-4f1c2a.classes.example.org'");
  });

  it('probes the seat by its name', async () => {
    // Prepare
    const actions = seatActions(dnsPlan, 'b03', fake.deps);
    await actions.configure([seat(1)]);

    // Act
    await actions.probe([seat(1, { phase: 'configuring', publicIp: '203.0.113.1' })]);

    // Assess
    expect(fake.calls.find((c) => c.name === 'probeSeat')?.args).toMatchObject({
      url: 'https://seat-001.intro-4f1c2a.classes.example.org/',
    });
  });
});

describe('seatActions.probe', () => {
  it('reads the seats credentials in one call and probes each seat at its URL with them', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);
    await actions.configure([seat(1)]);
    const stored = JSON.parse(
      fake.stored.get('/bakehouse/dev/classes/intro-1/b03/seat-001')?.value ?? '{}',
    );

    // Act
    const probes = await actions.probe([seat(1, { phase: 'configuring' })]);

    // Assess
    expect(probes).toEqual(new Map([['seat-001', { ready: true }]]));
    expect(fake.calls.filter((c) => c.name === 'secureParameters')).toEqual([
      { name: 'secureParameters', args: ['/bakehouse/dev/classes/intro-1/b03/seat-001'] },
    ]);
    expect(fake.calls.find((c) => c.name === 'probeSeat')?.args).toEqual({
      url: 'http://198.51.100.1:8888/',
      ...stored,
    });
  });

  it('reports a seat whose credential is not stored as not ready, without probing it', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    const probes = await actions.probe([seat(2, { phase: 'configuring' })]);

    // Assess
    expect(probes.get('seat-002')).toEqual({ ready: false, reason: 'no credential stored' });
    expect(fake.calls.some((c) => c.name === 'probeSeat')).toBe(false);
  });
});

describe('seatActions instances, agents and terminate', () => {
  it('hand the instance ids to the adapters as they are', async () => {
    // Prepare
    const actions = seatActions(plan, 'b03', fake.deps);

    // Act
    const instances = await actions.instances(['i-00000001']);
    const online = await actions.onlineAgents(['i-00000001', 'i-00000002']);
    await actions.terminate(['i-00000002']);

    // Assess
    expect(instances.map((i) => i.instanceId)).toEqual(['i-00000001']);
    expect(online).toEqual(new Set(['i-00000001']));
    expect(fake.calls.find((c) => c.name === 'terminateInstances')?.args).toEqual(['i-00000002']);
    expect(fake.calls.map((c) => c.name)).not.toContain('cancelSpotRequests');
  });

  it("cancel a spot class's seats' spot requests before terminating them", async () => {
    // Prepare
    const actions = seatActions(spotPlan, 'b03', fake.deps);

    // Act
    await actions.terminate(['i-00000002', 'i-00000003']);

    // Assess
    expect(fake.calls).toEqual([
      { name: 'describeInstances', args: ['i-00000002', 'i-00000003'] },
      { name: 'cancelSpotRequests', args: ['sir-00000002', 'sir-00000003'] },
      { name: 'terminateInstances', args: ['i-00000002', 'i-00000003'] },
    ]);
  });
});
