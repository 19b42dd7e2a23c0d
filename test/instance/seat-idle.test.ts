/**
 * A seat with a short idle window (one minute) in a Debian 12 container booted under systemd from
 * the debian-notebook bake: while a kernel executes it stays up, long after the window, even
 * after a second tab came and went (its kernel_info request, answered during the run, once made
 * the kernel look idle and it was shut down mid-run); once the kernel is done, Jupyter shuts the
 * kernel and then itself down for idleness and the machine powers off, as an EC2 instance whose
 * shutdown behaviour is stop would stop.
 *
 * Jupyter logs at DEBUG here (a system-wide Jupyter config of the test's own, read before the
 * seat's), and every run leaves the seat's journal and the test's own timeline in
 * test/artifacts/seat-idle-<time>/, so a run that fails can be read afterwards.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { SEAT_UNIT } from '../../layers/core/classroom/seat-script/seat-script';
import { containerTestsUnavailable, titled } from './support/host';
import { busyKernel, executionState, request } from './support/kernel';
import type { Ran } from './support/run';
import { random, SeatMachine } from './support/seat';

const unavailable = containerTestsUnavailable();
const seat = generateCredential(random);
const KERNEL_SECONDS = 150;
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** Read by Jupyter before the seat's own config, which leaves the log level alone. */
const DEBUG_CONFIG =
  "install -d /etc/jupyter && printf '%s\\n' " +
  '"c.NotebookApp.log_level = \'DEBUG\'" "c.ServerApp.log_level = \'DEBUG\'" ' +
  '>/etc/jupyter/jupyter_config.py';

/** What the test did when, by the host's clock (the seat's is the same kernel's). */
const timeline: string[] = [];
const note = (what: string) => timeline.push(`${new Date().toISOString()} ${what}`);

/** The seat's journal, its Jupyter's part of it and the timeline, under test/artifacts. */
async function keepEvidence(machine: SeatMachine): Promise<void> {
  const dir = join(ARTIFACTS, `seat-idle-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const precise = ['--output', 'short-precise'];
  const files: Record<string, () => Promise<string>> = {
    'journal.txt': () => machine.journal(precise),
    'jupyter.txt': () => machine.journal([...precise, '--unit', SEAT_UNIT]),
    'timeline.txt': async () => `${timeline.join('\n')}\n`,
  };
  for (const [name, read] of Object.entries(files)) {
    const text = await read().catch((error: Error) => `could not be read: ${error.message}\n`);
    await writeFile(join(dir, name), text);
  }
  console.log(`seat-idle evidence: ${dir}`);
}

/**
 * A second browser tab opening the running kernel: it asks for the kernel's info on the control
 * channel, which the kernel answers while it executes (with a busy and an idle status of its
 * own), and closes.
 */
const tabVisits = (base: string, token: string, id: string) =>
  request(
    base,
    token,
    id,
    { msgType: 'kernel_info_request', channel: 'control', content: {} },
    (m) => m.header?.msg_type === 'kernel_info_reply',
  );

describe.skipIf(unavailable)(titled('a seat that stops itself when idle', unavailable), () => {
  let machine: SeatMachine;
  let ran: Ran;
  let busySince: number;
  let serverSays: string;

  beforeAll(async () => {
    machine = await SeatMachine.boot();
    note('booted');
    await machine.query(DEBUG_CONFIG);
    ran = await machine.seat(seat, machine.port, { mode: 'none' }, 1);
    note(`seated (exit ${ran.code})`);
    const kernel = await busyKernel(machine.base, seat.token, KERNEL_SECONDS);
    busySince = Date.now();
    note(`kernel ${kernel} busy`);
    await tabVisits(machine.base, seat.token, kernel);
    note('second tab came and went');
    serverSays = await executionState(machine.base, seat.token, kernel);
    note(`the server says the kernel is ${serverSays}`);
  });

  afterAll(async () => {
    if (machine) await keepEvidence(machine);
    await machine?.dispose();
  });

  it('is seated with the idle window configured', async () => {
    // Act
    const config = await machine.query('cat /etc/bakehouse/jupyter_config.py');

    // Assess
    expect(ran.code).toBe(0);
    expect(config).toContain('idle_minutes=1,');
  });

  it('is seen executing by the server itself, which culls only kernels it sees idle', () => {
    // Assess: its subscription to the kernel's messages was in place before the run began
    expect(serverSays).toBe('busy');
  });

  it('stays up while a kernel executes, past twice the idle window and a check', async () => {
    // Act
    await sleep(Math.max(0, busySince + 130_000 - Date.now()));
    note(`130 s after busy: ${machine.container.running ? 'running' : 'powered off'}`);

    // Assess
    expect(machine.container.running).toBe(true);
  });

  it('powers off once the kernel is done and nothing has happened for the window', async () => {
    // Act: the kernel ends at 150 s; idle-kernel cull, then the server's own check, a minute
    // apart at most each, then the shutdown.
    const off = await machine.container.poweredOffWithin(6 * 60_000);
    const afterSeconds = (Date.now() - busySince) / 1000;
    note(off ? `powered off, ${afterSeconds.toFixed(1)} s after busy` : 'still running');

    // Assess
    expect(off).toBe(true);
    expect(afterSeconds).toBeGreaterThan(KERNEL_SECONDS + 60);
  });
});
