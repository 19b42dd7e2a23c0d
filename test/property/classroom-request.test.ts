import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { FULL_REQUEST } from './fixtures';
import { hostileJson, hostileString, mutated } from './hostile';
import { outcomeOf, RUNS } from './support';

const now = new Date('2026-03-01T12:00:00Z');

const UNSAFE_IN_A_NAME = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

describe('parseClassroomRequest on hostile input', () => {
  it('accepts or names the bad field, whatever one field is replaced by', () => {
    fc.assert(
      fc.property(mutated(FULL_REQUEST), (input) => {
        outcomeOf(() => parseClassroomRequest(input, now));
      }),
      { numRuns: RUNS.fast },
    );
  });

  it('accepts only names that are safe to show and to put in a header', () => {
    const named = fc
      .tuple(hostileString(30), fc.constantFrom('students', 'instructor'))
      .map(([name, where]) =>
        where === 'students'
          ? { ...FULL_REQUEST, students: [{ name, email: 'x@example.org' }] }
          : { ...FULL_REQUEST, instructor: { name, email: 'grace@example.org' } },
      );
    fc.assert(
      fc.property(named, (input) => {
        const outcome = outcomeOf(() => parseClassroomRequest(input, now));
        if (!('accepted' in outcome)) return;
        const names = [
          outcome.accepted.instructor.name ?? '',
          ...outcome.accepted.seats.map((seat) => seat.student?.name ?? ''),
        ];
        for (const name of names) {
          expect(name.isWellFormed()).toBe(true);
          expect(UNSAFE_IN_A_NAME.test(name)).toBe(false);
        }
      }),
      { numRuns: RUNS.fast },
    );
  });

  it('never accepts a value that is not the request object', () => {
    fc.assert(
      fc.property(hostileJson(3), (input) => {
        expect('issues' in outcomeOf(() => parseClassroomRequest(input, now))).toBe(true);
      }),
      { numRuns: RUNS.fast },
    );
  });

  it('names the field for any number where a count, port or size belongs', () => {
    const numeric = fc.constantFrom(
      ['seats'],
      ['jupyterPort'],
      ['volumeGiB'],
      ['image', 'jupyterPort'],
    );
    fc.assert(
      fc.property(
        numeric,
        fc.oneof(fc.double(), fc.integer(), fc.bigInt().map(String)),
        (path, value) => {
          const { students: _students, ...base } = FULL_REQUEST;
          const input =
            path[0] === 'image'
              ? { ...base, seats: 3, image: { ...FULL_REQUEST.image, jupyterPort: value } }
              : { ...base, seats: 3, [path[0] ?? '']: value };
          const outcome = outcomeOf(() => parseClassroomRequest(input, now));
          if ('issues' in outcome)
            expect(outcome.issues.map((i) => i.path)).toContain(path.join('.'));
        },
      ),
      { numRuns: RUNS.fast },
    );
  });
});
