import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { probeSeat, type SeatProbeResult } from '../../../layers/aws/seat-probe';
import {
  type Credential,
  hashPassword,
  tokenDigest,
} from '../../../layers/core/classroom/credentials';
import {
  compileSeatScript,
  type SeatTls,
} from '../../../layers/core/classroom/seat-script/seat-script';
import { bakedRootfsArchive, compileExample } from './bake';
import { Container } from './container';
import { freePort } from './jupyter-http';
import { mountRootfs, releaseRootfs } from './rootfs';
import { must, type Ran } from './run';

export const random = (n: number) => new Uint8Array(randomBytes(n));

/** What the classroom machine sends for a seat: the hash and the digest, never the secrets. */
export async function sealed(credential: Credential) {
  return {
    passwordHash: await hashPassword(credential.password, random(16)),
    tokenDigest: tokenDigest(credential.token),
  };
}

/** A booted copy of the debian-notebook bake, reachable from the host on a port of its own. */
export class SeatMachine {
  private constructor(
    private readonly root: string,
    public container: Container,
    readonly port: number,
  ) {}

  static async boot(): Promise<SeatMachine> {
    const root = await mountRootfs(await bakedRootfsArchive(compileExample('debian-notebook')));
    try {
      return new SeatMachine(root, await Container.boot(root), await freePort());
    } catch (error) {
      await releaseRootfs(root);
      throw error;
    }
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Run the seat script for `credential` as SSM would (plain HTTP unless `tls` says otherwise). */
  async seat(
    credential: Credential,
    port = this.port,
    tls: SeatTls = { mode: 'none' },
    idleMinutes = 0,
  ): Promise<Ran> {
    const script = compileSeatScript({ port, tls, idleMinutes, ...(await sealed(credential)) });
    return this.container.runScript(script, 5 * 60_000);
  }

  probe(credential: Credential): Promise<SeatProbeResult> {
    return probeSeat({ url: this.base, ...credential });
  }

  query(script: string): Promise<string> {
    return this.container.query(script);
  }

  /**
   * The machine's journal since its last boot (journalctl `args`), read by the host from the
   * machine's disk, so it can still be read once the machine has powered off.
   */
  journal(args: readonly string[] = []): Promise<string> {
    const directory = join(this.root, 'var/log/journal');
    return must('journalctl', ['--directory', directory, '--boot', '--no-pager', ...args]);
  }

  async reboot(): Promise<void> {
    this.container = await this.container.reboot();
  }

  async dispose(): Promise<void> {
    await this.container.stop();
    await releaseRootfs(this.root);
  }
}
