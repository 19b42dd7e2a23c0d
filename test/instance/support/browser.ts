/**
 * Debian's chromium driven by playwright-core, trusting one extra root CA the way a student's
 * browser trusts Let's Encrypt's: the root sits in the NSS database of the profile's home
 * (`$HOME/.pki/nssdb`, where Chromium on Linux reads user-added roots), put there with NSS's
 * certutil. No certificate error is ignored.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { must } from './run';

export const CHROMIUM = '/usr/bin/chromium';
export const CERTUTIL = '/usr/bin/certutil';

export class TrustingBrowser {
  private constructor(
    private readonly home: string,
    readonly browser: Browser,
  ) {}

  /** Chromium with `rootPem` trusted to issue server certificates, in a home of its own. */
  static async launch(rootPem: string): Promise<TrustingBrowser> {
    const home = await mkdtemp(join(tmpdir(), 'bakehouse-chromium-'));
    try {
      const nssdb = join(home, '.pki', 'nssdb');
      await mkdir(nssdb, { recursive: true });
      const root = join(home, 'root.pem');
      await writeFile(root, rootPem);
      await must(CERTUTIL, ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
      await must(CERTUTIL, [
        '-A',
        '-d',
        `sql:${nssdb}`,
        '-n',
        'acme-root',
        '-t',
        'C,,',
        '-i',
        root,
      ]);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        env: { ...process.env, HOME: home },
        // As root (the instance tests need it) Chromium refuses its sandbox.
        args: ['--no-sandbox'],
      });
      return new TrustingBrowser(home, browser);
    } catch (error) {
      await rm(home, { recursive: true, force: true });
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await rm(this.home, { recursive: true, force: true });
  }
}
