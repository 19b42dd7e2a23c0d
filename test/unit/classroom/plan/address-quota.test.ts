import { describe, expect, it } from 'vitest';
import { QuotaError } from '../../../../layers/base/errors';
import {
  addressesToAllocate,
  checkAddressRoom,
} from '../../../../layers/core/classroom/plan/address-quota';

const check =
  (seats: number, room: { limit: number | undefined; inUse: number; held: number }) => () =>
    checkAddressRoom({ seats, region: 'eu-west-1' }, room);

describe('checkAddressRoom', () => {
  it('lets through a class whose Elastic IPs fit beside those in use', () => {
    // Act / Assess
    expect(check(3, { limit: 5, inUse: 2, held: 0 })).not.toThrow();
  });

  it('refuses a class that does not fit, naming the numbers, the quota and the way out', () => {
    // Act
    const act = check(40, { limit: 5, inUse: 2, held: 0 });

    // Assess
    expect(act).toThrow(QuotaError);
    expect(act).toThrow(
      "the class needs 40 Elastic IPs (one per TLS seat) but the account may hold 5 in eu-west-1 and 2 are in use: ask Service Quotas for more 'EC2-VPC Elastic IPs' (L-0263D0A3), or use tls: none",
    );
  });

  it('refuses one address too many, and lets through exactly the room left', () => {
    // Act / Assess
    expect(check(3, { limit: 5, inUse: 2, held: 0 })).not.toThrow();
    expect(check(4, { limit: 5, inUse: 2, held: 0 })).toThrow(QuotaError);
  });

  it('counts the addresses the class holds already (a retry or a re-seat) as its own', () => {
    // Prepare: a class that allocated 4 before its first attempt failed; 5 in use in all.
    const room = { limit: 11, inUse: 5, held: 4 };

    // Act / Assess: 6 more fit beside the 5 in use; 7 more would not.
    expect(check(10, room)).not.toThrow();
    expect(check(11, room)).toThrow(
      'the class needs 7 more Elastic IPs (one per TLS seat) but the account may hold 11 in eu-west-1 and 5 are in use, 4 its own:',
    );
  });

  it('asks nothing of a class that holds all its addresses, even on a full account', () => {
    // Act / Assess
    expect(check(5, { limit: 5, inUse: 5, held: 5 })).not.toThrow();
  });

  it('asks nothing of a class without TLS seats', () => {
    // Act / Assess
    expect(check(0, { limit: 0, inUse: 3, held: 0 })).not.toThrow();
  });

  it('refuses nothing when EC2 did not tell the limit', () => {
    // Act / Assess
    expect(check(1000, { limit: undefined, inUse: 3, held: 0 })).not.toThrow();
  });

  it('names what is short and the other way out when given, in under 200 characters', () => {
    // Act
    const act = () =>
      checkAddressRoom(
        { seats: 1000, region: 'ap-southeast-2', what: 'adding 50 seats', or: 'release some' },
        { limit: 1000, inUse: 1000, held: 950 },
      );

    // Assess
    expect(act).toThrow(
      "adding 50 seats needs 50 more Elastic IPs (one per TLS seat) but the account may hold 1000 in ap-southeast-2 and 1000 are in use, 950 its own: ask Service Quotas for more 'EC2-VPC Elastic IPs' (L-0263D0A3), or release some",
    );
  });
});

describe('addressesToAllocate', () => {
  it('is the seats less what the class holds, never below none', () => {
    // Act / Assess
    expect(addressesToAllocate(10, { held: 4 })).toBe(6);
    expect(addressesToAllocate(3, { held: 5 })).toBe(0);
  });
});
