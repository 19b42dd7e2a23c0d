import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import fc from 'fast-check';
import { expect } from 'vitest';

expect.extend(allCustomMatcher);

// Property tests draw from one seed, so a run is repeatable and a failure is the same failure on
// every machine. `PROPERTY_SEED=random` draws afresh (fast-check prints the seed of a failure);
// any number replays that seed.
const seed = process.env.PROPERTY_SEED ?? '20261201';
if (seed !== 'random') fc.configureGlobal({ seed: Number(seed) });
