/**
 * Pausing inside a Lambda (pacing sends to a rate limit, backing off a throttled call). Local runs
 * replace it so that a pause moves the simulated clock instead of wall time.
 */
export type Sleep = (ms: number) => Promise<void>;

const wallClock: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let current: Sleep = wallClock;

export const sleep: Sleep = (ms) => current(ms);

export function useSleep(next: Sleep | undefined): void {
  current = next ?? wallClock;
}
