// Launching a batch's waiting seats, each with its settings in its user data.
/**
 * Credentials are generated here and stored as SecureStrings before anything launches (a
 * retried launch finds them again); only their hash and digest leave, in the user data. With
 * TLS each seat's Elastic IP is chosen first, so its certificate can name it; it is put on the
 * instance once the instance runs.
 */
import type { InstanceSummary, LaunchSpec } from '../../launch';
import { TAG, type Tags } from '../../tags';
import {
  type Credential,
  generateCredential,
  type RandomBytes,
  readCredential,
  seatPasswordHash,
  tokenDigest,
} from '../credentials';
import { addressTags } from '../plan/class-names';
import type { ClassPlan } from '../plan/class-plan';
import { launchKey, seatLaunchSpec } from '../plan/launch-spec';
import { credentialName } from '../plan/parameter-paths';
import type { Placement } from '../plan/placement-order';
import { bootUserData, settingsDigest } from '../seat-script/batch';
import {
  type BatchSeat,
  type BatchState,
  launchAttempt,
  launchingSeats,
  update,
  waitsForAddress,
  withProgress,
} from './lifecycle';
import { placeSeats } from './placement';
import { seatHost } from './seat-url';

export interface LaunchDeps {
  /** Values by name; a name that does not exist is absent. */
  secureParameters(names: string[]): Promise<Map<string, string>>;
  putSecureParameter(name: string, value: string, description: string): Promise<void>;
  /** Each seat's address, found among those tagged `find` by the seat's own tags, else new. */
  seatAddresses(request: {
    find: Tags;
    seats: { key: string; tags: Tags }[];
  }): Promise<Map<string, { allocationId: string; publicIp: string }>>;
  runInstances(spec: LaunchSpec): Promise<InstanceSummary[]>;
  /** Live instances carrying all `tags` (what an earlier attempt of a launch started). */
  instancesTagged(tags: Tags): Promise<InstanceSummary[]>;
  /** Point each name at its address in the hosted zone (an A record, UPSERT: safe to repeat). */
  nameSeats(request: {
    hostedZoneId: string;
    records: { name: string; address: string }[];
  }): Promise<void>;
  randomBytes: RandomBytes;
  now(): number;
}

interface SeatSettings {
  passwordHash: string;
  tokenDigest: string;
  host?: string;
}

/** Each waiting seat's credential: the one stored already, else a new one, stored first. */
async function credentials(
  plan: ClassPlan,
  batch: BatchState,
  seats: BatchSeat[],
  deps: LaunchDeps,
) {
  const names = new Map(
    seats.map((s) => [s.seatId, credentialName(plan, batch.batchId, s.seatId)]),
  );
  const stored = await deps.secureParameters([...names.values()]);
  const found = new Map<string, Credential>();
  for (const seat of seats) {
    const name = names.get(seat.seatId) as string;
    let credential = readCredential(stored.get(name));
    if (!credential) {
      credential = generateCredential(deps.randomBytes);
      await deps.putSecureParameter(
        name,
        JSON.stringify(credential),
        `bakehouse ${plan.name} ${seat.seatId}`,
      );
    }
    found.set(seat.seatId, credential);
  }
  return found;
}

/**
 * With TLS, the waiting seats without an address get theirs (found again on a retry), as many
 * as EC2's bucket for AllocateAddress lets through now, in the batch's order; with a zone, each
 * name points at its address before the seat can ask for a certificate. `allocate: false`: the
 * bucket is known to be empty, so no seat gets one this time.
 */
async function addressed(
  plan: ClassPlan,
  batch: BatchState,
  deps: LaunchDeps,
  allocate: boolean,
): Promise<BatchState> {
  const bare = batch.seats.filter(waitsForAddress);
  if (plan.tls.mode !== 'acme' || bare.length === 0 || !allocate) return batch;
  const addresses = await deps.seatAddresses({
    find: { [TAG.classroom]: plan.classId },
    seats: bare.map((s) => ({ key: s.seatId, tags: addressTags(plan, s.seatId) })),
  });
  const { dns } = plan;
  if (dns && addresses.size)
    await deps.nameSeats({
      hostedZoneId: dns.hostedZoneId,
      records: [...addresses].map(([seatId, { publicIp }]) => ({
        name: seatHost(plan, seatId, publicIp),
        address: publicIp,
      })),
    });
  return update(batch, new Set(addresses.keys()), (seat) => {
    const address = addresses.get(seat.seatId) as { allocationId: string; publicIp: string };
    return {
      ...seat,
      host: seatHost(plan, seat.seatId, address.publicIp),
      publicIp: address.publicIp,
      allocationId: address.allocationId,
    };
  });
}

/**
 * The seats this launch starts, in order. Without TLS: every waiting seat. With TLS: only those
 * with an address, first those that had one when the launch began, then those that got theirs
 * now. A seat still without one stays `launching` (the class's poll launches it once EC2 has let
 * its address through). The order makes a retry safe: a retry begins from the same batch, finds
 * the addresses the lost attempt allocated and perhaps a few more (always the next seats of the
 * batch), so the seats of the lost attempt come first, in its order, and take its instances.
 */
function seatsToLaunch(plan: ClassPlan, before: BatchState, after: BatchState): BatchSeat[] {
  const launching = launchingSeats(after);
  if (plan.tls.mode !== 'acme') return launching;
  const had = new Set(
    launchingSeats(before)
      .filter((s) => s.host)
      .map(seatId),
  );
  return [
    ...launching.filter((s) => had.has(s.seatId)),
    ...launching.filter((s) => s.host && !had.has(s.seatId)),
  ];
}

const seatId = (s: BatchSeat) => s.seatId;

/**
 * Launch the seats of the batch that wait for an instance (with TLS, those whose address EC2 has
 * let through: `seatsToLaunch`), trying placements in `order`, one RunInstances per placement
 * tried, idempotent per batch, attempt, placement and seats; a retry first takes the instances
 * this launch already started (by its launch tag, which names the seats waiting when it began).
 */
export async function launchWaiting(
  plan: ClassPlan,
  batch: BatchState,
  launch: {
    order: Placement[];
    securityGroupId: string;
    instanceProfileName: string;
  },
  deps: LaunchDeps,
  options: { allocate: boolean } = { allocate: true },
): Promise<BatchState> {
  const launching = launchingSeats(batch);
  const ready = await addressed(plan, batch, deps, options.allocate);
  const waiting = seatsToLaunch(plan, batch, ready);
  if (waiting.length === 0) return withProgress(ready);
  const found = await credentials(plan, ready, waiting, deps);
  const settings = new Map<string, SeatSettings>();
  for (const seat of waiting) {
    const credential = found.get(seat.seatId) as Credential;
    settings.set(seat.seatId, {
      passwordHash: await seatPasswordHash(credential.password),
      tokenDigest: tokenDigest(credential.token),
      ...(seat.host ? { host: seat.host } : {}),
    });
  }
  const attempt = launchAttempt(batch);
  const key = launchKey(plan.classId, batch.batchId, attempt, launching.map(seatId));
  const placed = await placeSeats(
    ready,
    launch.order,
    (placement, placementIndex, seats) =>
      deps.runInstances({
        ...seatLaunchSpec(plan, {
          batchId: ready.batchId,
          attempt,
          placement,
          placementIndex,
          seatIds: seats.map((s) => s.seatId),
          launch: key,
          securityGroupId: launch.securityGroupId,
          instanceProfileName: launch.instanceProfileName,
        }),
        userData: bootUserData(
          plan.port,
          plan.tls,
          seats.map((s) => settings.get(s.seatId) as SeatSettings),
          plan.idleMinutes,
        ),
      }),
    await deps.instancesTagged({ [TAG.launch]: key }),
    waiting,
  );
  const now = deps.now();
  const launched = new Set(waiting.map((s) => s.seatId));
  return update(placed, launched, (seat) => {
    if (seat.phase !== 'booting') return seat;
    const given = settings.get(seat.seatId) as SeatSettings;
    return {
      ...seat,
      launchedAt: now,
      settingsDigest: settingsDigest(given.passwordHash, given.tokenDigest),
    };
  });
}
