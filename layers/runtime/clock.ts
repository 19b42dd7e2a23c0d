/**
 * The current time, for decisions that depend on it (is a session near? is a schedule due?).
 * Local runs replace it so that functions see the simulated clock, as they do for `sleep`.
 */
export type Now = () => Date;

const wallClock: Now = () => new Date();
let current: Now = wallClock;

export const now: Now = () => current();

export function useClock(next: Now | undefined): void {
  current = next ?? wallClock;
}
