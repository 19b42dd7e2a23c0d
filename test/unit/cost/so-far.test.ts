import { describe, expect, it } from 'vitest';
import {
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  ON_DEMAND_USD_PER_HOUR,
  PUBLIC_IPV4_USD_PER_HOUR,
} from '../../../layers/core/cost/prices';
import { costSoFar } from '../../../layers/core/cost/so-far';

const T3_MEDIUM = ON_DEMAND_USD_PER_HOUR['t3.medium'] ?? Number.NaN;
const EBS_30_PER_HOUR = (30 * GP3_USD_PER_GB_MONTH) / HOURS_PER_MONTH;

describe('costSoFar', () => {
  it('charges compute and IPv4 for the running time and EBS from the first start', () => {
    // Prepare: ran 07:40–11:00, stopped, ran again 07:40–08:40 the next day and still runs
    const seat = {
      seatId: 'seat-001',
      instanceType: 't3.medium',
      volumeGiB: 30,
      running: [
        { start: '2027-03-02T07:40:00Z', stop: '2027-03-02T11:00:00Z' },
        { start: '2027-03-03T07:40:00Z' },
      ],
    };

    // Act
    const cost = costSoFar({
      now: '2027-03-03T08:40:00Z',
      seats: [seat, { ...seat, seatId: 'seat-002' }],
    });

    // Assess
    const ran = 3 + 20 / 60 + 1;
    const existed = 25;
    expect(cost.compute).toBeCloseTo(2 * ran * T3_MEDIUM, 2);
    expect(cost.publicIpv4).toBeCloseTo(2 * ran * PUBLIC_IPV4_USD_PER_HOUR, 2);
    expect(cost.ebs).toBeCloseTo(2 * existed * EBS_30_PER_HOUR, 2);
    expect(cost.spentUSD).toBeCloseTo(cost.compute + cost.publicIpv4 + cost.ebs, 10);
    expect(Math.abs(cost.exactUSD - cost.spentUSD)).toBeLessThanOrEqual(0.015);
    expect(cost.runningUSDPerHour).toBeCloseTo(2 * (T3_MEDIUM + PUBLIC_IPV4_USD_PER_HOUR), 6);
    expect(cost.storedUSDPerHour).toBeCloseTo(2 * EBS_30_PER_HOUR, 6);
  });

  it('charges an Elastic IP from the first start to termination, running or stopped, and no other address', () => {
    // Prepare: a TLS seat ran 07:40–11:00, then stayed stopped with its address until 01:00
    const seat = {
      seatId: 'seat-001',
      instanceType: 't3.medium',
      volumeGiB: 30,
      publicIpv4: false,
      elasticIp: true,
      running: [{ start: '2027-03-02T07:40:00Z', stop: '2027-03-02T11:00:00Z' }],
    };

    // Act
    const stopped = costSoFar({ now: '2027-03-03T01:00:00Z', seats: [seat] });
    const gone = costSoFar({
      now: '2027-03-05T00:00:00Z',
      seats: [{ ...seat, terminatedAt: '2027-03-03T07:40:00Z' }],
    });

    // Assess
    expect(stopped.publicIpv4).toBeCloseTo((17 + 20 / 60) * PUBLIC_IPV4_USD_PER_HOUR, 2);
    expect(stopped.runningUSDPerHour).toBe(0);
    expect(stopped.storedUSDPerHour).toBeCloseTo(EBS_30_PER_HOUR + PUBLIC_IPV4_USD_PER_HOUR, 6);
    expect(gone.publicIpv4).toBeCloseTo(24 * PUBLIC_IPV4_USD_PER_HOUR, 2);
    expect(gone.storedUSDPerHour).toBe(0);
  });

  it('stops charging a seat when it is terminated', () => {
    // Act
    const cost = costSoFar({
      now: '2027-03-10T00:00:00Z',
      seats: [
        {
          seatId: 'seat-001',
          instanceType: 't3.medium',
          volumeGiB: 30,
          running: [{ start: '2027-03-02T08:00:00Z' }],
          terminatedAt: '2027-03-02T10:00:00Z',
        },
      ],
    });

    // Assess
    expect(cost.compute).toBeCloseTo(2 * T3_MEDIUM, 2);
    expect(cost.ebs).toBeCloseTo(2 * EBS_30_PER_HOUR, 2);
    expect(cost.runningUSDPerHour).toBe(0);
    expect(cost.storedUSDPerHour).toBe(0);
  });

  it('counts nothing for a seat that has not started yet', () => {
    // Act
    const cost = costSoFar({
      now: '2027-03-01T00:00:00Z',
      seats: [
        {
          seatId: 'seat-001',
          instanceType: 't3.medium',
          volumeGiB: 30,
          running: [{ start: '2027-03-02T08:00:00Z' }],
        },
      ],
    });

    // Assess
    expect(cost).toMatchObject({ spentUSD: 0, runningUSDPerHour: 0, storedUSDPerHour: 0 });
  });

  it('names the seats it could not price and still counts their IPv4 and EBS', () => {
    // Act
    const cost = costSoFar({
      now: '2027-03-02T10:00:00Z',
      seats: [
        {
          seatId: 'seat-007',
          instanceType: 'x9.huge',
          volumeGiB: 30,
          running: [{ start: '2027-03-02T08:00:00Z' }],
        },
      ],
    });

    // Assess
    expect(cost.unpricedSeats).toEqual(['seat-007']);
    expect(cost.compute).toBe(0);
    expect(cost.publicIpv4).toBeCloseTo(2 * PUBLIC_IPV4_USD_PER_HOUR, 2);
  });

  it('uses the seat hourly price and market', () => {
    // Act
    const cost = costSoFar({
      now: '2027-03-02T18:00:00Z',
      seats: [
        {
          seatId: 'seat-001',
          instanceType: 'g5.xlarge',
          market: 'spot',
          hourlyUSD: 0.5,
          volumeGiB: 100,
          publicIpv4: false,
          running: [{ start: '2027-03-02T08:00:00Z', stop: '2027-03-02T18:00:00Z' }],
        },
      ],
    });

    // Assess
    expect(cost.compute).toBe(5);
    expect(cost.publicIpv4).toBe(0);
  });
});
