import { describe, expect, it, vi } from 'vitest';
import type { ClassPlan } from '../../../../layers/core/classroom/plan/class-plan';
import {
  EMAIL_SECONDS_PER_POLL,
  reachableFromAnywhere,
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
  tls: { mode: 'acme', directory: 'https://acme.example.org/directory' },
  parameterPath: '/bakehouse/dev/classes/intro-1',
  placements: [{ instanceType: 't3.medium', market: 'spot' }],
  allowedCidrs: ['0.0.0.0/0'],
  stackName: 'bakehouse-dev',
  schedule: {
    start: '2026-03-10T13:00',
    end: '2026-03-10T16:00',
    timezone: 'UTC',
    endsAt: '2026-03-10T16:00:00.000Z',
  },
  sessions: [
    {
      start: '2026-03-10T13:00',
      end: '2026-03-10T16:00',
      startsAt: '2026-03-10T13:00:00.000Z',
      endsAt: '2026-03-10T16:00:00.000Z',
    },
  ],
  retainDays: 7,
  instructor: { email: 'ada@example.edu' },
  sender: 'classes@example.edu',
} as ClassPlan;

const seat = (n: number): BatchSeat => ({
  seatId: `seat-00${n}`,
  student: { name: `S${n}`, email: `s${n}@example.edu` },
  phase: 'ready',
  attempt: 0,
  instanceId: `i-0000000${n}`,
  publicIp: `198.51.100.${n}`,
});
const credential = JSON.stringify({ password: 'abcd-efgh', token: 'tok' });

function deps(overrides: Partial<SeatDeps> = {}): SeatDeps {
  return {
    secureParameters: vi.fn(async (names: string[]) => new Map(names.map((n) => [n, credential]))),
    putSecureParameter: vi.fn(),
    seatAddresses: vi.fn(),
    runInstances: vi.fn(),
    randomBytes: (n) => new Uint8Array(n),
    now: () => 0,
    classInstances: vi.fn(async () => []),
    describeInstances: vi.fn(async (ids: string[]) =>
      ids.map((id) => ({ ...instance(id), spotRequestId: `sir-${id}` })),
    ),
    associateAddresses: vi.fn(async () => new Set<string>()),
    probeSeat: vi.fn(async () => ({ ready: true as const })),
    cancelSpotRequests: vi.fn(async () => []),
    terminateInstances: vi.fn(async () => []),
    sendPaced: vi.fn(async (items, message) => {
      const out = new Map();
      for (const item of items) {
        message(item);
        out.set(item, undefined);
      }
      return out;
    }),
    ...overrides,
  } as SeatDeps;
}
const launch = { securityGroupId: 'sg-1', instanceProfileName: 'p', reachable: true, sendRate: 1 };

describe('seatActions', () => {
  it('logs into a reachable seat over HTTPS at its address, with its stored credential', async () => {
    const d = deps();
    const probes = await seatActions(plan, launch, d).probe?.([{ batchId: 'b00', seat: seat(1) }]);

    expect(d.probeSeat).toHaveBeenCalledWith({
      url: 'https://198.51.100.1/',
      password: 'abcd-efgh',
      token: 'tok',
    });
    expect(probes?.get('seat-001')).toEqual({ ready: true });
  });

  it('does not probe a class limited to networks the Lambda is not in', () => {
    expect(reachableFromAnywhere({ allowedCidrs: ['192.0.2.0/24'] })).toBe(false);
    expect(seatActions(plan, { ...launch, reachable: false }, deps()).probe).toBeUndefined();
  });

  it("cancels a spot class's seats' requests before terminating them", async () => {
    const d = deps();
    await seatActions(plan, launch, d).terminate(['i-00000001']);

    expect(d.cancelSpotRequests).toHaveBeenCalledWith(['sir-i-00000001']);
    expect(d.terminateInstances).toHaveBeenCalledWith(['i-00000001']);
  });

  it('sends at most what the pacer sends in one poll at the account rate, one key per seat and link', async () => {
    const d = deps();
    const refs = Array.from({ length: 30 }, (_, i) => ({ batchId: 'b00', seat: seat(i + 1) }));

    const outcome = await seatActions(plan, launch, d).email(refs);

    expect(outcome.size).toBe(EMAIL_SECONDS_PER_POLL);
    const [items, message, rate] = (d.sendPaced as ReturnType<typeof vi.fn>).mock.calls[0] as [
      { seat: BatchSeat }[],
      (item: unknown) => { key: string; to: string; email: { text: string } },
      number,
    ];
    expect(rate).toBe(1);
    const first = message(items[0]);
    expect(first.key).toBe('intro-1 seat-001 i-00000001 https://198.51.100.1/');
    expect(first.to).toBe('s1@example.edu');
    expect(first.email.text).toContain('abcd-efgh');
  });

  it('reads ahead, in one read, the seats to check and the students waiting, and never twice', async () => {
    const d = deps();
    const actions = seatActions(plan, launch, d);
    const ref = (n: number) => ({ batchId: 'b00', seat: seat(n) });
    const waiting = Array.from({ length: 30 }, (_, i) => ref(i + 3));

    await actions.readAhead?.([ref(1), ref(2)], waiting);
    await actions.probe?.([ref(1), ref(2)]);
    await actions.email([ref(1), ref(2), ...waiting]);

    const reads = (d.secureParameters as ReturnType<typeof vi.fn>).mock.calls as [string[]][];
    // The two to check and the first 20 waiting (what one poll sends at 1/s), then nothing.
    expect(reads).toHaveLength(1);
    expect(reads[0]?.[0]).toHaveLength(22);
    expect(new Set(reads[0]?.[0]).size).toBe(22);
    expect(d.probeSeat).toHaveBeenCalledTimes(2);
  });
});
