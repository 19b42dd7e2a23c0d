/**
 * Pebble, Let's Encrypt's test ACME server (Debian package `pebble`), on the loopback address. It
 * validates http-01 on port 80 of the identifier, which the containers share with the host. Its
 * own listener gets a throwaway self-signed certificate made with openssl.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { must } from './run';

export const PEBBLE_DIRECTORY = 'https://127.0.0.1:14000/dir';
const PEBBLE_ROOT = 'https://127.0.0.1:15000/roots/0';
const START_TIMEOUT_MS = 20_000;

export class Pebble {
  private constructor(
    private readonly dir: string,
    private readonly child: ChildProcess,
    /** The certificate of pebble's own listener, which the seat must trust to reach it. */
    readonly listenerCertificate: string,
    private log: string[],
  ) {}

  static async start(): Promise<Pebble> {
    const dir = await mkdtemp(join(tmpdir(), 'bakehouse-pebble-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await must('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', key, '-out', cert, '-subj', '/CN=pebble'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ]);
    const config = join(dir, 'pebble.json');
    await writeFile(
      config,
      JSON.stringify({
        pebble: {
          listenAddress: '127.0.0.1:14000',
          managementListenAddress: '127.0.0.1:15000',
          certificate: cert,
          privateKey: key,
          httpPort: 80,
          tlsPort: 443,
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    const child = spawn('pebble', ['-config', config], {
      env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    const keep = (chunk: Buffer) => log.push(chunk.toString('utf8'));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const pebble = new Pebble(dir, child, await readFile(cert, 'utf8'), log);
    const trusting = new Agent({ connect: { ca: pebble.listenerCertificate } });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        const answer = await undiciFetch(PEBBLE_DIRECTORY, { dispatcher: trusting });
        if (answer.ok) break;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        await pebble.stop();
        throw new Error(`pebble did not start:\n${log.join('')}`);
      }
      await sleep(200);
    }
    await trusting.close();
    return pebble;
  }

  /** The root pebble signs issued certificates with (new on every start). */
  async issuingRoot(): Promise<string> {
    const trusting = new Agent({ connect: { ca: this.listenerCertificate } });
    try {
      const answer = await undiciFetch(PEBBLE_ROOT, { dispatcher: trusting });
      if (!answer.ok) throw new Error(`pebble's root: ${answer.status}`);
      return await answer.text();
    } finally {
      await trusting.close();
    }
  }

  output(): string {
    return this.log.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
