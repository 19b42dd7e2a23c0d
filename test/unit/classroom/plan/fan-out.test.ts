import { describe, expect, it } from 'vitest';
import { fanOutShape } from '../../../../layers/core/classroom/plan/fan-out';

describe('fanOutShape', () => {
  it.each([
    [1, { batches: 1, largestBatch: 1, mapMaxConcurrency: 1, waves: 1 }],
    [40, { batches: 1, largestBatch: 40, mapMaxConcurrency: 1, waves: 1 }],
    [200, { batches: 4, largestBatch: 50, mapMaxConcurrency: 4, waves: 1 }],
    [1000, { batches: 20, largestBatch: 50, mapMaxConcurrency: 20, waves: 1 }],
  ])('describes %i seats', (seats, expected) => {
    // Act
    const shape = fanOutShape(seats);

    // Assess
    expect(shape).toMatchObject({ seats, ...expected });
    expect(shape.runInstancesCalls).toBe(shape.batches);
  });

  it('caps the Map at the 20 concurrent batches classroom.asl.yaml runs and counts the waves beyond that', () => {
    // Act
    const shape = fanOutShape(1000, 10);

    // Assess
    expect(shape).toMatchObject({ batches: 100, mapMaxConcurrency: 20, waves: 5 });
  });
});
