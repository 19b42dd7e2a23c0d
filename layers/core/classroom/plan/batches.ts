// Batches of a class: seats split evenly into groups of at most 50, with stable ids.
/** SendCommand takes at most 50 instance ids, so a batch is at most 50 seats. */
export const MAX_BATCH = 50;

export interface Batch<T> {
  /** `b00`, `b01`, …: stable for a given seat list, so retries land on the same ids. */
  batchId: string;
  seats: T[];
}

/**
 * Split seats into batches of at most `maxBatch`, sized evenly (51 seats → 26 + 25, not 50 + 1)
 * so the batches of one Map run finish together instead of waiting on a straggler.
 */
export function planBatches<T>(seats: readonly T[], maxBatch = MAX_BATCH): Batch<T>[] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  const count = Math.ceil(seats.length / maxBatch);
  const width = Math.max(2, String(count - 1).length);
  const batches: Batch<T>[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(seats.length / count) + (i < seats.length % count ? 1 : 0);
    batches.push({
      batchId: `b${String(i).padStart(width, '0')}`,
      seats: seats.slice(start, start + size),
    });
    start += size;
  }
  return batches;
}

/** The position of a batch from its id (`b07` → 7). */
export const batchNumber = (batchId: string) => Number.parseInt(batchId.slice(1), 10);
