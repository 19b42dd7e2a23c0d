import { describe, expect, it } from 'vitest';
import { failureText, progressLine } from '../../local/progress';
import type { EventLog } from '../../local/runner';

const exited = (name: string, output: unknown) =>
  ({ type: 'StateExited', state: { name, output } }) as unknown as EventLog;

const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage });

describe('progressLine', () => {
  it('says that a caught step failed, and why, instead of reading what it never returned', () => {
    const output = {
      failed: {
        LaunchBuilder: {
          Error: 'InvalidParameterValue',
          Cause: lambdaCause('InvalidParameterValue', "Invalid value 'x9.huge' for InstanceType."),
        },
      },
    };

    const line = progressLine(exited('LaunchBuilder', output), 16_000);

    expect(line).toBe(
      "  +0:00:16  LaunchBuilder        FAILED: InvalidParameterValue: Invalid value 'x9.huge' for InstanceType.",
    );
  });

  it('reports each failure once, naming the step it was stored under', () => {
    const reported = new Set<string>();
    const output = { failed: { RunBuildScript: { Error: 'ScriptFailedError', Cause: 'exit 1' } } };

    const first = progressLine(exited('CheckBuildScript', output), 0, reported);
    const again = progressLine(
      exited('CleanUp', { ...output, outcome: { cause: 'x' } }),
      0,
      reported,
    );

    expect(first).toContain('FAILED: (RunBuildScript) ScriptFailedError: exit 1');
    expect(again).toContain('cleaned up: x');
  });

  it("tells a batch's launch, and the class's seating once the poll has settled it", () => {
    const seating = (settled: boolean) => ({
      seating: { settled, waitSeconds: 5, ready: 38, failed: 2, waitingForEmail: 0 },
    });

    expect(progressLine(exited('LaunchSeats', { batchId: 'b00', launched: 40 }), 0)).toBe(
      '  +0:00:00  LaunchSeats          b00: 40 seats launching',
    );
    expect(progressLine(exited('AdvanceSeats', seating(false)), 0)).toBeUndefined();
    expect(progressLine(exited('AdvanceSeats', seating(true)), 65_000)).toBe(
      '  +0:01:05  AdvanceSeats         38 seats ready, 2 failed; emails done',
    );
  });

  it('stays quiet for a state whose output lacks what it describes', () => {
    expect(progressLine(exited('PlanClassroom', { request: {} }), 0)).toBeUndefined();
  });
});

describe('failureText', () => {
  it('does not repeat the error when the cause names it', () => {
    expect(failureText({ error: 'E', cause: 'Step failed: E: boom.' })).toBe(
      'Step failed: E: boom.',
    );
    expect(failureText({ error: 'E', cause: 'boom' })).toBe('E: boom');
  });
});
