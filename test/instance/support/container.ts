/**
 * A Debian root filesystem booted under its own systemd with systemd-nspawn, sharing the host's
 * network. Commands enter it with nsenter, the way the SSM agent runs them on an instance: as
 * root, with an empty environment but for PATH.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { type Ran, run } from './run';

const AGENT_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';
const BOOT_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 60_000;
const LOG_LIMIT = 64 * 1024;

/** nspawn processes still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class Container {
  private log = '';

  private constructor(
    readonly root: string,
    private readonly nspawn: ChildProcess,
    private readonly exited: Promise<number | null>,
    private pid = 0,
  ) {
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    nspawn.stdout?.on('data', keep);
    nspawn.stderr?.on('data', keep);
  }

  /** Boot `root` and wait until its systemd reports running (or degraded). */
  static async boot(root: string): Promise<Container> {
    const nspawn = spawn(
      'systemd-nspawn',
      ['-D', root, '-b', '--register=no', '--keep-unit', '--console=passive'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(nspawn);
    const exited = new Promise<number | null>((resolve) =>
      nspawn.once('exit', (code) => {
        running.delete(nspawn);
        resolve(code);
      }),
    );
    const container = new Container(root, nspawn, exited);
    try {
      await container.waitForSystem();
    } catch (error) {
      await container.stop();
      throw new Error(`${(error as Error).message}\n--- nspawn output ---\n${container.log}`);
    }
    return container;
  }

  private async waitForSystem(): Promise<void> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    let state = 'not started';
    while (Date.now() < deadline) {
      if (this.nspawn.exitCode !== null) throw new Error(`nspawn exited ${this.nspawn.exitCode}`);
      this.pid ||= initPidOf(this.nspawn.pid ?? 0);
      if (this.pid) {
        state = (await this.exec(['systemctl', 'is-system-running'])).stdout.trim();
        if (state === 'running' || state === 'degraded') return;
      }
      await sleep(250);
    }
    throw new Error(`container did not finish booting (last state: ${state})`);
  }

  /** Run argv inside the container as root with the agent's bare environment. */
  exec(
    argv: readonly string[],
    options: { input?: string; timeoutMs?: number } = {},
  ): Promise<Ran> {
    return run(
      'nsenter',
      ['-t', String(this.pid), '-a', 'env', '-i', AGENT_PATH, ...argv],
      options,
    );
  }

  sh(script: string): Promise<Ran> {
    return this.exec(['sh', '-c', script]);
  }

  /** The trimmed output of a shell snippet that must succeed. */
  async query(script: string): Promise<string> {
    const ran = await this.sh(script);
    if (ran.code !== 0) throw new Error(`${script} exited ${ran.code}: ${ran.stderr}`);
    return ran.stdout.trim();
  }

  /**
   * Run the exact text SSM Run Command would send, as AWS-RunShellScript does: saved as
   * `_script.sh` (0700) under the agent's orchestration directory and started with `sh -c`.
   */
  async runScript(text: string, timeoutMs = 20 * 60_000): Promise<Ran> {
    const inside = `/var/lib/amazon/ssm/i-0bakehouse0test/document/orchestration/${randomUUID()}/awsrunShellScript/0.awsrunShellScript/_script.sh`;
    const onHost = join(this.root, inside);
    await mkdir(dirname(onHost), { recursive: true, mode: 0o700 });
    await writeFile(onHost, text, { mode: 0o700 });
    await chmod(onHost, 0o700);
    return this.exec(['sh', '-c', inside], { timeoutMs });
  }

  /**
   * Run user data as cloud-init's Final stage does: unzipped (cloud-init undoes gzip itself),
   * saved under the instance's scripts directory (0700) and executed by its shebang, as root.
   */
  async runUserData(userData: Uint8Array, timeoutMs = 20 * 60_000): Promise<Ran> {
    const inside = '/var/lib/cloud/instance/scripts/part-001';
    const onHost = join(this.root, inside);
    await mkdir(dirname(onHost), { recursive: true, mode: 0o700 });
    await writeFile(onHost, gunzipSync(userData), { mode: 0o700 });
    await chmod(onHost, 0o700);
    return this.exec([inside], { timeoutMs });
  }

  /** Reboot from inside, as `sudo reboot` would, and boot the same root again. */
  async reboot(): Promise<Container> {
    await this.exec(['systemctl', 'reboot']);
    await this.waitForExit(STOP_TIMEOUT_MS);
    return Container.boot(this.root);
  }

  /** Orderly shutdown (nspawn turns SIGTERM into a poweroff), SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (this.nspawn.exitCode !== null || this.nspawn.signalCode !== null) return;
    this.nspawn.kill('SIGTERM');
    if (!(await this.waitForExit(STOP_TIMEOUT_MS))) {
      this.nspawn.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Whether the container is still up: its systemd has not powered it off. */
  get running(): boolean {
    return this.nspawn.exitCode === null && this.nspawn.signalCode === null;
  }

  /** Wait up to `timeoutMs` for the container to power itself off; whether it did. */
  poweredOffWithin(timeoutMs: number): Promise<boolean> {
    return this.waitForExit(timeoutMs);
  }

  private async waitForExit(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const exited = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return exited;
  }
}

/** The container's PID 1: the child of nspawn that runs systemd. */
function initPidOf(nspawnPid: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const statusFile = `/proc/${entry}/status`;
    if (!existsSync(statusFile)) continue;
    try {
      const status = readFileSync(statusFile, 'utf8');
      const child = status.match(/^PPid:\s+(\d+)$/m)?.[1] === String(nspawnPid);
      if (child && /^Name:\s+systemd$/m.test(status)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return 0;
}
