/**
 * The seat lifecycle's ports (layers/core/classroom/seats.ts) implemented with the EC2, SSM and
 * HTTP adapters. Credentials are generated here, stored as SecureStrings, and only their hash and
 * digest leave in the seat script; the plaintext is read back only to probe the seat.
 */
import { randomBytes } from 'node:crypto';
import { generateCredential, hashPassword, tokenDigest } from '../core/classroom/credentials';
import { readCredential } from '../core/classroom/messages/delivery';
import { type ClassPlan, credentialName } from '../core/classroom/plan/class-plan';
import { compileBatchSeatScript } from '../core/classroom/seat-script/batch';
import { seatUrl } from '../core/classroom/seats/lifecycle';
import type { SeatPorts } from '../core/classroom/seats/poll';
import { describeInstances, terminateInstances } from './ec2';
import { probeSeat } from './seat-probe';
import {
  listInvocations,
  onlineAgents,
  putSecureParameter,
  secureParameters,
  sendScript,
} from './ssm';

const SEAT_SCRIPT_TIMEOUT_SECONDS = 600;
const random = (n: number) => new Uint8Array(randomBytes(n));

export function seatPorts(plan: ClassPlan, batchId: string): SeatPorts {
  const { region } = plan;
  return {
    instances: (ids) => describeInstances(region, ids),
    onlineAgents: (ids) => onlineAgents(region, ids),

    async configure(seats) {
      const settings = await Promise.all(
        seats.map(async (seat) => {
          const credential = generateCredential(random);
          await putSecureParameter(
            region,
            credentialName(plan, batchId, seat.seatId),
            JSON.stringify(credential),
            `bakehouse ${plan.name} ${seat.seatId}`,
          );
          return {
            instanceId: seat.instanceId as string,
            passwordHash: await hashPassword(credential.password, random(16)),
            tokenDigest: tokenDigest(credential.token),
          };
        }),
      );
      return sendScript(region, {
        instanceIds: settings.map((s) => s.instanceId),
        script: compileBatchSeatScript(plan.port, settings),
        timeoutSeconds: SEAT_SCRIPT_TIMEOUT_SECONDS,
        comment: `bakehouse seats ${plan.classId} ${batchId}`,
      });
    },

    async invocations(commandIds) {
      const lists = await Promise.all(commandIds.map((id) => listInvocations(region, id)));
      return new Map(
        lists.flat().map((i) => [i.instanceId, { status: i.status, output: i.stdout }]),
      );
    },

    async probe(seats) {
      const secrets = await secureParameters(
        region,
        seats.map((seat) => credentialName(plan, batchId, seat.seatId)),
      );
      const results = await Promise.all(
        seats.map(async (seat) => {
          const credential = readCredential(
            secrets.get(credentialName(plan, batchId, seat.seatId)),
          );
          if (!credential || !seat.publicIp)
            return [seat.seatId, { ready: false, reason: 'no credential stored' }] as const;
          return [
            seat.seatId,
            await probeSeat({ url: seatUrl(seat.publicIp, plan.port), ...credential }),
          ] as const;
        }),
      );
      return new Map(results);
    },

    async terminate(ids) {
      await terminateInstances(region, ids);
    },
  };
}
