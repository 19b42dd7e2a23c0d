// How often a class's seats are polled and how long a seat may take (the ASL repeats the bound).

/**
 * A booting seat is first looked at this long after its launch, when it can first be ready:
 * EC2's launch to `running` (~12–18 s), cloud-init's stages up to the user-data script (a few
 * seconds), the seat script (~10 s at the least) and Jupyter's start. (The class's first poll
 * itself comes right after the launches, for the seats of a TLS class still without an address.)
 */
export const FIRST_POLL_SECONDS = 25;
/**
 * Then the class is polled this often while seats are still configuring themselves: a seat that
 * becomes ready waits at most this long to be seen, and, at a busy account's SES rate, so long
 * the sending may stand still.
 */
export const SEAT_POLL_SECONDS = 2;
/**
 * Once every seat still booting was launched longer ago than this (all but the slowest tail is
 * ready by then), the class is polled only every STRAGGLER_POLL_SECONDS until their deadline.
 */
export const BUSY_POLL_WINDOW_SECONDS = 120;
export const STRAGGLER_POLL_SECONDS = 10;
/** While ready students still wait for their email, the next poll comes this soon. */
export const EMAIL_POLL_SECONDS = 1;
/**
 * While seats wait for their Elastic IP, the next poll comes at most this late: EC2's bucket for
 * AllocateAddress (50, refilled at 5/s) is full again 10 s after it ran dry, so a poll at least
 * every 10 s wastes none of its refill.
 */
export const ADDRESS_POLL_SECONDS = 5;
/**
 * Seconds from a seat's launch until a seat that has not reported counts as failed: room for
 * EC2's slowest launches, cloud-init, the seat script's own bounds (Jupyter 120 s, the
 * certificate 300 s) and the slowest first boot of a new image.
 */
export const SEAT_DEADLINE_SECONDS = 600;
/** Replacement rounds: a failed seat is replaced once. */
export const MAX_ATTEMPT = 1;

/**
 * Polls the class may take before the state machine gives up on it (AreSeatsSettled in
 * classroom.asl.yaml, tested): room for the last seat of the largest TLS class to wait for its
 * address (1000 addresses at 5/s: about 40 polls) and then use its deadline twice, once with its
 * first instance and once with its replacement, at the cadence the poll keeps for each.
 */
export const CLASS_MAX_POLLS = 300;
