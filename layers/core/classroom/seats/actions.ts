// The actions a class's poll takes on its seats, decided here and carried out by the adapters given.
/**
 * Credentials are read back from Parameter Store only to log into a seat over the network and to
 * write each student their own; every student email goes through one pacer and is sent at most
 * once (an idempotency record per message in the class store).
 */
import { type InstanceSummary, spotRequestsOf } from '../../launch';
import { TAG, type Tags } from '../../tags';
import { readCredential } from '../credentials';
import { batchNumber } from '../plan/batches';
import type { ClassPlan } from '../plan/class-plan';
import { credentialName } from '../plan/parameter-paths';
import type { Placement } from '../plan/placement-order';
import { type LaunchDeps, launchWaiting } from './launch';
import type { ProbeResult } from './lifecycle';
import { spreadPlacements } from './placement';
import type { BatchSeatRef, SeatActions } from './poll';
import { seatLink } from './seat-url';
import { type EmailDeps, emailStudents, type StudentEmail } from './student-emails';

/** The longest a poll spends sending emails before it looks at the seats again. */
export const EMAIL_SECONDS_PER_POLL = 20;

/** The adapters a poll needs, already bound to the class's region. */
export interface SeatDeps extends LaunchDeps, EmailDeps {
  /** Instances carrying all `tags`, in every state, terminated too. */
  classInstances(tags: Tags): Promise<InstanceSummary[]>;
  describeInstances(instanceIds: string[]): Promise<InstanceSummary[]>;
  /** The instance ids whose address is now on them (a throttled rest waits for the next poll). */
  associateAddresses(pairs: { allocationId: string; instanceId: string }[]): Promise<Set<string>>;
  probeSeat(target: { url: string; password: string; token: string }): Promise<ProbeResult>;
  cancelSpotRequests(requestIds: string[]): Promise<unknown>;
  terminateInstances(instanceIds: string[]): Promise<unknown>;
}

export interface ClassLaunch {
  securityGroupId: string;
  instanceProfileName: string;
  /** Whether the Lambda can reach the seats (the class lets every address in). */
  reachable: boolean;
  /** SES's rate for the account (messages per second). */
  sendRate: number;
}

/** Whether a probe from outside the class's networks can reach its seats. */
export const reachableFromAnywhere = (plan: Pick<ClassPlan, 'allowedCidrs'>) =>
  plan.allowedCidrs.includes('0.0.0.0/0');

/**
 * Parameter Store read at most once per name in one poll: a seat whose login is checked and whose
 * student is emailed in the same poll has its credential read once.
 */
function readOnce(read: SeatDeps['secureParameters']): SeatDeps['secureParameters'] {
  const known = new Map<string, string>();
  return async (names) => {
    const missing = [...new Set(names.filter((name) => !known.has(name)))];
    if (missing.length) for (const [name, value] of await read(missing)) known.set(name, value);
    return new Map(
      names.flatMap((name): [string, string][] => {
        const value = known.get(name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
  };
}

export function seatActions(plan: ClassPlan, launch: ClassLaunch, given: SeatDeps): SeatActions {
  const deps: SeatDeps = { ...given, secureParameters: readOnce(given.secureParameters) };
  const nameOf = (ref: BatchSeatRef) => credentialName(plan, ref.batchId, ref.seat.seatId);
  const credentialsOf = async (refs: BatchSeatRef[]) => {
    const stored = await deps.secureParameters(refs.map(nameOf));
    return new Map(refs.map((ref) => [ref.seat.seatId, readCredential(stored.get(nameOf(ref)))]));
  };
  const urlOf = (ref: BatchSeatRef) => seatLink(plan, ref.seat.seatId, ref.seat.publicIp ?? '');
  const order = (batchId: string): Placement[] =>
    spreadPlacements(plan.placements, batchNumber(batchId));

  const emailBudget = Math.max(1, Math.floor(launch.sendRate * EMAIL_SECONDS_PER_POLL));

  return {
    instances: () => deps.classInstances({ [TAG.classroom]: plan.classId, [TAG.kind]: 'seat' }),

    readAhead: async (toProbe, waiting) => {
      await deps.secureParameters([...toProbe, ...waiting.slice(0, emailBudget)].map(nameOf));
    },

    associate: async (seats) => {
      const done = await deps.associateAddresses(
        seats.map((s) => ({
          allocationId: s.allocationId as string,
          instanceId: s.instanceId as string,
        })),
      );
      return new Set(seats.filter((s) => done.has(s.instanceId as string)).map((s) => s.seatId));
    },

    ...(launch.reachable
      ? {
          async probe(refs: BatchSeatRef[]) {
            const credentials = await credentialsOf(refs);
            const results = await Promise.all(
              refs.map(async (ref) => {
                const credential = credentials.get(ref.seat.seatId);
                if (!credential || !ref.seat.publicIp)
                  return [
                    ref.seat.seatId,
                    { ready: false, reason: 'no credential stored' },
                  ] as const;
                return [
                  ref.seat.seatId,
                  await deps.probeSeat({ url: urlOf(ref), ...credential }),
                ] as const;
              }),
            );
            return new Map<string, ProbeResult>(results);
          },
        }
      : {}),

    /** A spot seat's persistent request is cancelled first, or EC2 would launch it again. */
    async terminate(ids) {
      if (plan.placements.some((p) => p.market === 'spot'))
        await deps.cancelSpotRequests(spotRequestsOf(await deps.describeInstances(ids)));
      await deps.terminateInstances(ids);
    },

    relaunch: (batch, options) =>
      launchWaiting(
        plan,
        batch,
        {
          order: order(batch.batchId),
          securityGroupId: launch.securityGroupId,
          instanceProfileName: launch.instanceProfileName,
        },
        deps,
        options,
      ),

    async email(refs) {
      const now = refs.slice(0, emailBudget);
      const emails = now.flatMap(({ batchId, seat }): StudentEmail[] =>
        seat.student
          ? [
              {
                batchId,
                recipient: {
                  seatId: seat.seatId,
                  studentName: seat.student.name,
                  email: seat.student.email,
                  url: urlOf({ batchId, seat }),
                  state: 'ready',
                },
                occasion: seat.instanceId ?? '',
              },
            ]
          : [],
      );
      return emailStudents(plan, emails, deps, launch.sendRate);
    },

    now: () => deps.now(),
  };
}
