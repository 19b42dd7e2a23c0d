import { describe, expect, it } from 'vitest';
import { parseCliOptions, UsageError } from '../../local/cli-options';

function refusal(argv: string[]): string {
  try {
    parseCliOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('parseCliOptions', () => {
  it('gives the defaults of npm start', () => {
    expect(parseCliOptions([])).toMatchObject({
      recipe: 'examples/recipes/genomics-workshop.yaml',
      seats: 3,
      scale: 600,
      outbox: 'outbox',
      faults: { capacity: [], imageFails: 0 },
    });
  });

  it.each([
    [['--seats', '0'], '--seats: must be at least 1: a classroom needs a seat'],
    [['--seats', '1001'], '--seats: must be at most 1000'],
    [['--seats', '2.5'], '--seats: must be a whole number'],
    [['--seats', 'three'], '--seats: must be a number'],
    [['--seats', ''], '--seats: must be a number'],
    [['--scale', '0'], '--scale: must be more than 0'],
    [['--scale=-5'], '--scale: must be more than 0'],
    [['--faults', '{oops'], '--faults: must be JSON'],
    [['--faults', '{"imageFails":-1}'], '--faults.imageFails: '],
    [['--faults', '{"meteor":true}'], '--faults: Unrecognized key: "meteor"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], "Unexpected argument 'extra'"],
    [['--seats'], "Option '--seats <value>' argument missing"],
  ])('refuses %j', (argv, message) => {
    expect(refusal(argv)).toContain(message);
  });
});
