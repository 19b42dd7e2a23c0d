// How often a batch is polled and how many polls a seat and a batch may take (the ASL repeats them).

/** Seconds between polls: WaitForSeats in classroom.asl.yaml waits as long (tested). */
export const SEAT_POLL_SECONDS = 10;
/** Polls (of the batch loop's Wait) a seat may spend in a phase before it counts as failed. */
export const PHASE_LIMITS = { booting: 45, configuring: 24 } as const;
/** Replacement rounds: a failed seat is replaced once. */
export const MAX_ATTEMPT = 1;

/**
 * Polls a batch may take before the state machine gives up on it (AreSeatsSettled in
 * classroom.asl.yaml, tested): room for a seat to spend each phase's limit twice, once with its
 * first instance and once with its replacement.
 */
export const BATCH_MAX_POLLS = 160;
