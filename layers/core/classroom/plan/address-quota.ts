// Whether a class's Elastic IPs (one per TLS seat) fit the account's quota in its region, decided
// before any seat launches: EC2 refuses an allocation beyond it with AddressLimitExceeded.
import { QuotaError } from '../../../base/errors';

/** The quota as Service Quotas names it, where the organizer asks for more. */
export const ELASTIC_IP_QUOTA = { name: 'EC2-VPC Elastic IPs', code: 'L-0263D0A3' } as const;

/** The account's Elastic IPs in one region, as EC2 tells them. */
export interface AddressRoom {
  /** How many the account may hold in the region; undefined when EC2 did not say. */
  limit: number | undefined;
  /** How many are allocated in the region, the class's own among them. */
  inUse: number;
  /** How many of those the class holds already (a retry, or seats it had, find their own). */
  held: number;
}

/** Elastic IPs the class must still allocate for `seats` TLS seats. */
export const addressesToAllocate = (seats: number, room: Pick<AddressRoom, 'held'>) =>
  Math.max(0, seats - room.held);

/**
 * Refuses (QuotaError) a class whose `seats` TLS seats need more Elastic IPs than the account has
 * room for in `region`: the limit less those in use, the class's own counting as its already. A
 * class without TLS seats needs none; an unknown limit refuses nothing. The message names the
 * numbers and the fix: more quota, or `or` (none: no other).
 */
export function checkAddressRoom(
  need: { seats: number; region: string; what?: string; or?: string },
  room: AddressRoom,
): void {
  const more = addressesToAllocate(need.seats, room);
  if (more === 0 || room.limit === undefined) return;
  if (more <= room.limit - room.inUse) return;
  const { what = 'the class', or = 'use tls: none' } = need;
  const count = room.held > 0 ? `${more} more` : `${more}`;
  const ours = room.held > 0 ? `, ${room.held} its own` : '';
  throw new QuotaError(
    `${what} needs ${count} Elastic IPs (one per TLS seat) but the account may hold ${room.limit} in ${need.region} and ${room.inUse} are in use${ours}: ask Service Quotas for more '${ELASTIC_IP_QUOTA.name}' (${ELASTIC_IP_QUOTA.code})${or ? `, or ${or}` : ''}`,
  );
}
