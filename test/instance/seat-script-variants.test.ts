/**
 * The seat script on the debian-notebook bake in the forms and failures it meets in the field:
 * a launcher-style JUPYTER_COMMAND, a port held by another program, an image that was not baked by bakehouse, a root Jupyter user.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { SEAT_UNIT } from '../../layers/core/classroom/seat-script/seat-script';
import { containerTestsUnavailable, titled } from './support/host';
import { freePort } from './support/jupyter-http';
import type { Ran } from './support/run';
import { random, SeatMachine } from './support/seat';

const unavailable = containerTestsUnavailable();
const seat = generateCredential(random);

describe.skipIf(unavailable)(titled('seat script variants and failures', unavailable), () => {
  let machine: SeatMachine;

  beforeAll(async () => {
    machine = await SeatMachine.boot();
  });

  afterAll(async () => {
    await machine?.dispose();
  });

  describe('with the jupyter launcher as JUPYTER_COMMAND', () => {
    let ran: Ran;
    beforeAll(async () => {
      await machine.query(
        'sed -i "s|^JUPYTER_COMMAND=.*|JUPYTER_COMMAND=\'/usr/bin/jupyter\'|" /etc/bakehouse/jupyter.env',
      );
      ran = await machine.seat(seat);
    });

    it('runs the flavour as a subcommand of the launcher', async () => {
      // Act
      const command = await machine.query(
        `systemctl show --property=ExecStart --value ${SEAT_UNIT}`,
      );

      // Assess
      expect(ran.code).toBe(0);
      expect(command).toContain('/usr/bin/jupyter notebook --config=');
      expect(await machine.probe(seat)).toEqual({ ready: true });
    });
  });

  describe('failures', () => {
    it('fails within seconds, with the journal, when another program holds the port', async () => {
      // Prepare
      const taken = await freePort();
      const squatter = createServer().listen(taken, '0.0.0.0');
      const started = Date.now();

      // Act
      const ran = await machine.seat(seat, taken).finally(() => squatter.close());

      // Assess
      expect(ran.code).not.toBe(0);
      expect(ran.stdout).not.toContain('seat ready');
      expect(ran.stderr).toContain('bakehouse: Jupyter exited while starting');
      expect(ran.stderr).toContain(`port ${taken} is not available`);
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('refuses an image that was not baked by bakehouse', async () => {
      // Prepare
      await machine.query('mv /etc/bakehouse/jupyter.env /etc/bakehouse/jupyter.env.away');

      // Act
      const ran = await machine
        .seat(seat)
        .finally(() =>
          machine.query('mv /etc/bakehouse/jupyter.env.away /etc/bakehouse/jupyter.env'),
        );

      // Assess
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('/etc/bakehouse/jupyter.env is missing');
    });

    it('refuses to run Jupyter as root', async () => {
      // Prepare
      await machine.query(
        'sed -i "s|^JUPYTER_USER=.*|JUPYTER_USER=\'root\'|" /etc/bakehouse/jupyter.env',
      );

      // Act
      const ran = await machine.seat(seat);

      // Assess
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('refusing to run Jupyter as root');
    });
  });
});
