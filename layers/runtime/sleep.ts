/**
 * Pausing inside a Lambda (pacing sends to a rate limit, backing off a throttled call) and the
 * random draw behind its jitter. Local runs replace both, so that a pause moves the simulated
 * clock instead of wall time and the jitter comes from the run's seed.
 */
export type Sleep = (ms: number) => Promise<void>;
/** A uniform draw in [0, 1). */
export type Draw = () => number;

const wallClock: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let current: Sleep = wallClock;
let currentDraw: Draw = Math.random;

export const sleep: Sleep = (ms) => current(ms);

export const draw: Draw = () => currentDraw();

export function useSleep(next: Sleep | undefined): void {
  current = next ?? wallClock;
}

export function useDraw(next: Draw | undefined): void {
  currentDraw = next ?? Math.random;
}
