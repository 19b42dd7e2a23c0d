/**
 * Kernels started one after another on a seat with an idle window (Debian 12 container from the
 * debian-notebook bake): each is seen executing by the server itself as soon as a tab has it
 * run code. The server's subscription to a new kernel's messages used to come after the kernel
 * had started its first tab's code, for about one kernel in three here; that kernel was taken for
 * starting while it ran, and culled mid-run (jupyter-auth/idle.py, hear_before_use).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { containerTestsUnavailable, titled } from './support/host';
import { busyKernel, executionState } from './support/kernel';
import { random, SeatMachine } from './support/seat';

const unavailable = containerTestsUnavailable();
const seat = generateCredential(random);
const KERNELS = 20;
/** Long enough that nothing is culled or stopped while the test runs. */
const IDLE_MINUTES = 60;

describe.skipIf(unavailable)(
  titled('the kernels of a seat that stops when idle', unavailable),
  () => {
    let machine: SeatMachine;

    beforeAll(async () => {
      machine = await SeatMachine.boot();
      const ran = await machine.seat(seat, machine.port, { mode: 'none' }, IDLE_MINUTES);
      expect(ran.code).toBe(0);
    });

    afterAll(async () => {
      await machine?.dispose();
    });

    it('are each seen executing by the server from their first code on', async () => {
      // Arrange
      const auth = { authorization: `token ${seat.token}` };
      const seen: string[] = [];

      // Act
      for (let i = 0; i < KERNELS; i++) {
        const kernel = await busyKernel(machine.base, seat.token, 5);
        seen.push(await executionState(machine.base, seat.token, kernel));
        await fetch(`${machine.base}/api/kernels/${kernel}`, { method: 'DELETE', headers: auth });
      }

      // Assess
      expect(seen).toEqual(Array(KERNELS).fill('busy'));
    });
  },
);
