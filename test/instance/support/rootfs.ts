/**
 * Debian 12 root filesystems for the container tests, cached as zstd tarballs under
 * .cache/rootfs so only the first run pays for debootstrap and for baking.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { must } from './run';

export const CACHE_DIR = fileURLToPath(new URL('../../../.cache/rootfs', import.meta.url));
const WORK_DIR = '/var/tmp';
const SUITE = 'bookworm';
const DEBOOTSTRAP_TIMEOUT_MS = 15 * 60_000;

/** The host's Debian mirror (DEBIAN_MIRROR overrides it), so the tests use what apt uses here. */
export function debianMirror(): string {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  const dir = '/etc/apt/sources.list.d';
  const files = existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  for (const file of [...files, '/etc/apt/sources.list'].filter((f) => existsSync(f))) {
    const match = readFileSync(file, 'utf8').match(
      /(?:URIs:\s*|deb\s+)(https?:\/\/\S+\/debian)\/?\s/,
    );
    if (match?.[1]) return match[1];
  }
  return 'http://deb.debian.org/debian';
}

/** The cached minimal bookworm with systemd, built by debootstrap when missing. */
export async function baseRootfsArchive(): Promise<string> {
  const archive = join(CACHE_DIR, `${SUITE}-base.tar.zst`);
  if (existsSync(archive)) return archive;
  await mkdir(CACHE_DIR, { recursive: true });
  const dir = await mkdtemp(join(WORK_DIR, 'bakehouse-debootstrap-'));
  try {
    await must(
      'debootstrap',
      [
        '--variant=minbase',
        '--include=systemd,systemd-sysv,dbus,ca-certificates',
        SUITE,
        dir,
        debianMirror(),
      ],
      { timeoutMs: DEBOOTSTRAP_TIMEOUT_MS },
    );
    await must('find', [join(dir, 'var/cache/apt/archives'), '-name', '*.deb', '-delete']);
    await packRootfs(dir, archive);
  } finally {
    await removeRootfs(dir);
  }
  return archive;
}

/** Write `dir` to `archive` atomically, owners and extended attributes kept. */
export async function packRootfs(dir: string, archive: string): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${archive}.partial`;
  await must('tar', ['--zstd', '-cpf', partial, '--numeric-owner', '--xattrs', '-C', dir, '.']);
  await rename(partial, archive);
}

/** A fresh, private copy of a cached root filesystem. */
export async function unpackRootfs(archive: string): Promise<string> {
  const dir = await mkdtemp(join(WORK_DIR, 'bakehouse-container-'));
  await must('tar', ['--zstd', '-xpf', archive, '--numeric-owner', '--xattrs', '-C', dir]);
  return dir;
}

/** Unmount whatever is still mounted below `dir`, then delete it without crossing mounts. */
export async function removeRootfs(dir: string): Promise<void> {
  for (const mountPoint of mountsBelow(dir).reverse()) {
    await must('umount', ['--lazy', mountPoint]);
  }
  await must('rm', ['-rf', '--one-file-system', dir]);
}

export function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}
