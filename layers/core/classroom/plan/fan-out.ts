// How a class fans out over the Map of batches: the Map's concurrency and the calls it costs.
import { MAX_BATCH, planBatches } from './batches';

/**
 * MaxConcurrency of the Map over batches (SeatBatches in classroom.asl.yaml, tied by a test):
 * 20 batches of 50 seat 1000 seats in one wave, under the inline Map's ceiling of 40.
 */
export const MAP_MAX_CONCURRENCY = 20;

export interface FanOutShape {
  seats: number;
  batches: number;
  largestBatch: number;
  /** MaxConcurrency of the Map over batches. */
  mapMaxConcurrency: number;
  /** Rounds of the Map needed when batches exceed the concurrency ceiling. */
  waves: number;
  /** One RunInstances and one SendCommand per batch when the first placement succeeds. */
  runInstancesCalls: number;
  sendCommandCalls: number;
}

/** How a classroom of `seatCount` seats fans out, for documentation and benchmarks. */
export function fanOutShape(seatCount: number, maxBatch = MAX_BATCH): FanOutShape {
  const batches = planBatches(
    Array.from({ length: seatCount }, (_, i) => i),
    maxBatch,
  );
  const mapMaxConcurrency = Math.min(MAP_MAX_CONCURRENCY, Math.max(1, batches.length));
  return {
    seats: seatCount,
    batches: batches.length,
    largestBatch: batches[0]?.seats.length ?? 0,
    mapMaxConcurrency,
    waves: Math.ceil(batches.length / mapMaxConcurrency),
    runInstancesCalls: batches.length,
    sendCommandCalls: batches.length,
  };
}
