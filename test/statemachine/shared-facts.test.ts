// Numbers the state machines repeat from the core, read from the ASL and compared with the core.
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { BakeSchema } from '../../layers/core/bake';
import { IMAGE_TEST_TIMEOUT_SECONDS, POLL } from '../../layers/core/bake-poll';
import { MAX_BATCH } from '../../layers/core/classroom/plan/batches';
import { fanOutShape, MAP_MAX_CONCURRENCY } from '../../layers/core/classroom/plan/fan-out';
import {
  RESTART_POLL_LIMIT,
  RESTART_POLL_SECONDS,
} from '../../layers/core/classroom/record/restart';
import { MAX_SEATS } from '../../layers/core/classroom/request/classroom-request';
import {
  ADDRESS_POLL_SECONDS,
  BUSY_POLL_WINDOW_SECONDS,
  CLASS_MAX_POLLS,
  FIRST_POLL_SECONDS,
  MAX_ATTEMPT,
  SEAT_DEADLINE_SECONDS,
  SEAT_POLL_SECONDS,
  STRAGGLER_POLL_SECONDS,
} from '../../layers/core/classroom/seats/poll-bounds';
import { mutatingRequestLimit } from '../../local/sim/ec2/throttle';

interface AslState {
  Type: string;
  Seconds?: number;
  SecondsPath?: string;
  Comment?: string;
  Cause?: string;
  MaxConcurrency?: number;
  Result?: { Error?: string; Cause?: string };
  Parameters?: Record<string, string>;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxAttempts?: number;
    JitterStrategy?: string;
  }[];
  Choices?: {
    Variable: string;
    NumericGreaterThanEquals?: number;
    NumericGreaterThanEqualsPath?: string;
  }[];
  ItemProcessor?: { States: Record<string, AslState> };
}

/** Every state of a definition file, nested Map states included, by name. */
function statesOf(file: string): Record<string, AslState> {
  const definition = yaml.load(
    readFileSync(new URL(`../../statemachines/${file}`, import.meta.url), 'utf8'),
  ) as {
    States: Record<string, AslState>;
  };
  const all: Record<string, AslState> = {};
  const collect = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      all[name] = state;
      if (state.ItemProcessor) collect(state.ItemProcessor.States);
    }
  };
  collect(definition.States);
  return all;
}

const state = (states: Record<string, AslState>, name: string): AslState => {
  const found = states[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};

/** The bound a Choice puts on `variable`. */
const bound = (choice: AslState, variable: string) =>
  choice.Choices?.find((c) => c.Variable === variable);

describe('the bake polling loops', () => {
  const states = statesOf('bake.asl.yaml');

  it('wait as long between checks as the bake core assumes when it bounds them', () => {
    expect(states.WaitForAgent?.Seconds).toBe(POLL.agent.seconds);
    expect(states.WaitForBuildScript?.Seconds).toBe(POLL.script.seconds);
    expect(states.WaitForImage?.Seconds).toBe(POLL.image.seconds);
  });

  it('give the image at least an hour before giving up', () => {
    expect(POLL.image.seconds * POLL.image.maxChecks).toBeGreaterThanOrEqual(3600);
    const choice = states.IsImageAvailable as unknown as {
      Choices: { NumericGreaterThanEquals?: number }[];
    };
    expect(choice.Choices.find((c) => c.NumericGreaterThanEquals)?.NumericGreaterThanEquals).toBe(
      POLL.image.maxChecks,
    );
  });

  it('stop waiting for the agent after the checks the core allows, and say so in minutes', () => {
    expect(bound(state(states, 'IsAgentOnline'), '$.agent.checks')?.NumericGreaterThanEquals).toBe(
      POLL.agent.maxChecks,
    );
    const minutes = (POLL.agent.seconds * POLL.agent.maxChecks) / 60;
    expect(state(states, 'AgentNeverOnline').Result?.Cause).toContain(
      `after ${minutes} minutes (${POLL.agent.maxChecks} checks)`,
    );
    expect(state(states, 'AwaitAgent').Comment).toContain(
      `(${POLL.agent.seconds} s × ${POLL.agent.maxChecks})`,
    );
  });

  it('say in minutes how long the image was waited for', () => {
    const minutes = (POLL.image.seconds * POLL.image.maxChecks) / 60;
    expect(state(states, 'ImageNeverAvailable').Result?.Cause).toContain(
      `after ${minutes} minutes`,
    );
  });

  it('wait for the copies as the bake core bounds them, and say how long in the cause', () => {
    expect(states.WaitForCopies?.Seconds).toBe(POLL.copy.seconds);
    expect(
      bound(state(states, 'AreCopiesAvailable'), '$.copies.checks')?.NumericGreaterThanEquals,
    ).toBe(POLL.copy.maxChecks);
    const hours = (POLL.copy.seconds * POLL.copy.maxChecks) / 3600;
    expect(state(states, 'CopiesNeverAvailable').Parameters?.['Cause.$']).toContain(
      `after ${hours} hours (${POLL.copy.maxChecks} checks)`,
    );
  });

  it('wait for the test instance as for the builder, and give the image test its command timeout', () => {
    expect(states.WaitForTestAgent?.Seconds).toBe(POLL.agent.seconds);
    expect(
      bound(state(states, 'IsTestAgentOnline'), '$.testAgent.checks')?.NumericGreaterThanEquals,
    ).toBe(POLL.agent.maxChecks);
    expect(state(states, 'AwaitTestAgent').Comment).toContain(
      `(${POLL.agent.seconds} s × ${POLL.agent.maxChecks})`,
    );
    expect(states.WaitForImageTest?.Seconds).toBe(POLL.test.seconds);
    expect(
      bound(state(states, 'IsImageTestDone'), '$.testScript.checks')?.NumericGreaterThanEquals,
    ).toBe(POLL.test.maxChecks);
    expect(POLL.test.seconds * POLL.test.maxChecks).toBeGreaterThan(IMAGE_TEST_TIMEOUT_SECONDS);
    expect(state(states, 'ImageTestTimedOut').Result?.Cause).toContain(
      `within ${IMAGE_TEST_TIMEOUT_SECONDS / 60} minutes`,
    );
  });

  it('bound the build script by the checks the core planned from the recipe timeout', () => {
    const path = bound(
      state(states, 'IsBuildScriptDone'),
      '$.script.checks',
    )?.NumericGreaterThanEqualsPath;
    expect(path).toBe('$.bake.scriptChecks');
    expect(Object.keys(BakeSchema.shape)).toContain('scriptChecks');
  });
});

describe('the classroom poll', () => {
  const states = statesOf('classroom.asl.yaml');
  const settled = state(states, 'AreSeatsSettled');

  it('waits as long as the poll says, the first poll as long as the core plans', () => {
    expect(state(states, 'WaitForSeats').SecondsPath).toBe('$.seating.waitSeconds');
    expect(state(states, 'WaitForSeats').Comment).toContain('FIRST_POLL_SECONDS');
    expect(FIRST_POLL_SECONDS).toBeGreaterThan(SEAT_POLL_SECONDS);
  });

  it('gives the class the polls the core allows it, and says how many', () => {
    expect(bound(settled, '$.seating.rounds')?.NumericGreaterThanEquals).toBe(CLASS_MAX_POLLS);
    expect(state(states, 'SeatsNeverSettled').Result?.Cause).toContain(
      `within ${CLASS_MAX_POLLS} polls`,
    );
  });

  it("gives the last seat room to wait for its address, then for its deadline and its replacement's, at the poll's cadence", () => {
    const [size, refill] = mutatingRequestLimit('AllocateAddress');
    const addressPolls = Math.ceil((MAX_SEATS - size) / refill / ADDRESS_POLL_SECONDS);
    const perAttempt =
      Math.ceil(BUSY_POLL_WINDOW_SECONDS / SEAT_POLL_SECONDS) +
      Math.ceil((SEAT_DEADLINE_SECONDS - BUSY_POLL_WINDOW_SECONDS) / STRAGGLER_POLL_SECONDS);
    expect(BUSY_POLL_WINDOW_SECONDS).toBeLessThan(SEAT_DEADLINE_SECONDS);
    expect(CLASS_MAX_POLLS).toBeGreaterThanOrEqual(addressPolls + perAttempt * (MAX_ATTEMPT + 1));
  });

  it('polls seats waiting for an address before the bucket that paces them is full again', () => {
    const [size, refill] = mutatingRequestLimit('AllocateAddress');
    expect(ADDRESS_POLL_SECONDS).toBeLessThanOrEqual(size / refill);
    expect(state(states, 'WaitForSeats').Comment).toContain('ADDRESS_POLL_SECONDS');
  });
});

describe.each(['CleanUp', 'RetireClass'])(
  'the classroom step %s, which releases addresses',
  (name) => {
    const step = state(statesOf('classroom.asl.yaml'), name);
    const throttled = step.Retry?.find((r) => r.ErrorEquals.includes('RequestLimitExceeded'));

    it('tries again through a throttle long enough to release the largest TLS class', () => {
      // Each address of a running seat: a DisassociateAddress and a ReleaseAddress, each with its
      // own bucket; FULL jitter waits half the interval on average.
      const [size, refill] = mutatingRequestLimit('ReleaseAddress');
      expect(mutatingRequestLimit('DisassociateAddress')).toEqual([size, refill]);
      const needed = (MAX_SEATS - size) / refill;
      const { IntervalSeconds = 1, MaxAttempts = 3, BackoffRate = 2 } = throttled ?? {};
      expect(BackoffRate).toBe(1);
      expect(throttled?.JitterStrategy).toBe('FULL');
      expect((MaxAttempts * IntervalSeconds) / 2).toBeGreaterThanOrEqual(1.5 * needed);
      // No wait longer than it takes the bucket to fill: a longer one would waste its refill.
      expect(IntervalSeconds).toBeLessThanOrEqual(size / refill);
    });
  },
);

describe('the classroom fan-out', () => {
  const map = state(statesOf('classroom.asl.yaml'), 'LaunchBatches');

  it('runs as many batches at once as the core plans for', () => {
    expect(map.MaxConcurrency).toBe(MAP_MAX_CONCURRENCY);
  });

  it('says so in its comment, with the batch size', () => {
    expect(map.Comment?.replace(/\s+/g, ' ')).toContain(
      `One launch per batch of at most ${MAX_BATCH} seats, ${MAP_MAX_CONCURRENCY} at a time`,
    );
  });

  it('seats the largest class in one wave, as its comment says', () => {
    expect(map.Comment?.replace(/\s+/g, ' ')).toContain(`${MAX_SEATS} seats in one wave`);
    expect(fanOutShape(MAX_SEATS).waves).toBe(1);
  });
});

describe('the restart loop of a later session', () => {
  const states = statesOf('classroom.asl.yaml');

  it('waits between checks as long as the core counts, and names the bound the core applies', () => {
    expect(state(states, 'WaitForRestart').Seconds).toBe(RESTART_POLL_SECONDS);
    expect(state(states, 'CheckSeats').Comment).toContain('RESTART_POLL_LIMIT');
    expect(RESTART_POLL_SECONDS * RESTART_POLL_LIMIT).toBeGreaterThanOrEqual(600);
  });
});
