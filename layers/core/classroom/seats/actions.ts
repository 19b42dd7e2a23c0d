// The actions a poll takes on a batch's seats, decided here and carried out by the adapters given.
/**
 * Credentials are generated here and stored as SecureStrings; only their hash and digest leave in
 * the seat script. The plaintext is read back only to probe the seat.
 */
import { type InstanceSummary, spotRequestsOf } from '../../launch';
import { TAG, type Tags } from '../../tags';
import {
  generateCredential,
  hashPassword,
  type RandomBytes,
  readCredential,
  SALT_BYTES,
  tokenDigest,
} from '../credentials';
import { addressTags } from '../plan/class-names';
import type { ClassPlan } from '../plan/class-plan';
import { credentialName } from '../plan/parameter-paths';
import { compileBatchSeatScript } from '../seat-script/batch';
import type { SeatActions } from './poll';
import { seatHost, seatLink } from './seat-url';

/** How long SSM lets the batch's seat script run on each seat (its executionTimeout). */
export const SEAT_SCRIPT_TIMEOUT_SECONDS = 600;

type ProbeResult = { ready: true } | { ready: false; reason: string };

/** The adapters a poll needs, already bound to the class's region. */
export interface SeatDeps {
  describeInstances(instanceIds: string[]): Promise<InstanceSummary[]>;
  onlineAgents(instanceIds: string[]): Promise<Set<string>>;
  putSecureParameter(name: string, value: string, description: string): Promise<void>;
  /** Values by name; a name that does not exist is absent. */
  secureParameters(names: string[]): Promise<Map<string, string>>;
  /** The command id. */
  sendScript(request: {
    instanceIds: string[];
    script: string;
    timeoutSeconds: number;
    comment: string;
  }): Promise<string>;
  listInvocations(
    commandId: string,
  ): Promise<{ instanceId: string; status: string; stdout: string }[]>;
  probeSeat(target: { url: string; password: string; token: string }): Promise<ProbeResult>;
  cancelSpotRequests(requestIds: string[]): Promise<unknown>;
  terminateInstances(instanceIds: string[]): Promise<unknown>;
  /**
   * Each seat's Elastic IP (found among those tagged `find` by the seat's own tags, else a new
   * one), associated with its instance; public addresses by instance id.
   */
  seatAddresses(request: {
    find: Tags;
    seats: { instanceId: string; tags: Tags }[];
  }): Promise<Map<string, string>>;
  /** Point each name at its address in the hosted zone (an A record, UPSERT: safe to repeat). */
  nameSeats(request: {
    hostedZoneId: string;
    records: { name: string; address: string }[];
  }): Promise<void>;
  randomBytes: RandomBytes;
}

export function seatActions(plan: ClassPlan, batchId: string, deps: SeatDeps): SeatActions {
  const nameOf = (seatId: string) => credentialName(plan, batchId, seatId);
  return {
    instances: (ids) => deps.describeInstances(ids),
    onlineAgents: (ids) => deps.onlineAgents(ids),

    async configure(seats) {
      // With TLS the certificate names the address, so it must be the one that stays.
      const addresses =
        plan.tls.mode === 'acme'
          ? await deps.seatAddresses({
              find: { [TAG.classroom]: plan.classId },
              seats: seats.map((seat) => ({
                instanceId: seat.instanceId as string,
                tags: addressTags(plan, seat.seatId),
              })),
            })
          : new Map<string, string>();
      // With a zone, each seat's name points at its address before the certificate is asked for.
      const { dns } = plan;
      if (dns)
        await deps.nameSeats({
          hostedZoneId: dns.hostedZoneId,
          records: seats.flatMap((seat) => {
            const address = addresses.get(seat.instanceId as string);
            return address ? [{ name: seatHost(plan, seat.seatId, address), address }] : [];
          }),
        });
      const settings = await Promise.all(
        seats.map(async (seat) => {
          const credential = generateCredential(deps.randomBytes);
          await deps.putSecureParameter(
            nameOf(seat.seatId),
            JSON.stringify(credential),
            `bakehouse ${plan.name} ${seat.seatId}`,
          );
          const instanceId = seat.instanceId as string;
          const address = addresses.get(instanceId);
          const host = address === undefined ? undefined : seatHost(plan, seat.seatId, address);
          return {
            instanceId,
            passwordHash: await hashPassword(credential.password, deps.randomBytes(SALT_BYTES)),
            tokenDigest: tokenDigest(credential.token),
            ...(host === undefined ? {} : { host }),
          };
        }),
      );
      return deps.sendScript({
        instanceIds: settings.map((s) => s.instanceId),
        script: compileBatchSeatScript(plan.port, plan.tls, settings, plan.idleMinutes),
        timeoutSeconds: SEAT_SCRIPT_TIMEOUT_SECONDS,
        comment: `bakehouse seats ${plan.classId} ${batchId}`,
      });
    },

    async invocations(commandIds) {
      const lists = await Promise.all(commandIds.map((id) => deps.listInvocations(id)));
      return new Map(
        lists.flat().map((i) => [i.instanceId, { status: i.status, output: i.stdout }]),
      );
    },

    async probe(seats) {
      const secrets = await deps.secureParameters(seats.map((seat) => nameOf(seat.seatId)));
      const results = await Promise.all(
        seats.map(async (seat) => {
          const credential = readCredential(secrets.get(nameOf(seat.seatId)));
          if (!credential || !seat.publicIp)
            return [seat.seatId, { ready: false, reason: 'no credential stored' }] as const;
          return [
            seat.seatId,
            await deps.probeSeat({
              url: seatLink(plan, seat.seatId, seat.publicIp),
              ...credential,
            }),
          ] as const;
        }),
      );
      return new Map(results);
    },

    /** A spot seat's persistent request is cancelled first, or EC2 would launch it again. */
    async terminate(ids) {
      if (plan.placements.some((p) => p.market === 'spot'))
        await deps.cancelSpotRequests(spotRequestsOf(await deps.describeInstances(ids)));
      await deps.terminateInstances(ids);
    },
  };
}
