/**
 * Debian 12 root filesystems for the container tests, cached as zstd tarballs under
 * .cache/rootfs so only the first run pays for debootstrap and for baking. Each tarball is
 * unpacked once; every container then gets a copy-on-write overlay of it, so starting one costs
 * a mount instead of writing half a gigabyte.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { must, run } from './run';

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
    await chmod(dir, 0o755);
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
    await removeTree(dir);
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

/** The tree `archive` unpacks to, unpacked on first use; never written to afterwards. */
async function unpackedTree(archive: string): Promise<string> {
  const name = basename(archive, '.tar.zst');
  const trees = join(CACHE_DIR, 'trees');
  const tree = join(trees, `${name}@${Math.trunc(statSync(archive).mtimeMs)}`);
  if (existsSync(tree)) return tree;
  await mkdir(trees, { recursive: true });
  for (const stale of readdirSync(trees).filter((entry) => entry.startsWith(`${name}@`))) {
    await removeTree(join(trees, stale));
  }
  const partial = await mkdtemp(join(trees, `${name}.partial-`));
  try {
    await must('tar', ['--zstd', '-xpf', archive, '--numeric-owner', '--xattrs', '-C', partial]);
    await rename(partial, tree);
  } catch (error) {
    await removeTree(partial);
    throw error;
  }
  return tree;
}

/**
 * A private, writable root filesystem over the cached `archive`: an overlay whose upper layer
 * lives in a temporary directory, so the cache itself never changes.
 */
export async function mountRootfs(archive: string): Promise<string> {
  const tree = await unpackedTree(archive);
  const dir = await mkdtemp(join(WORK_DIR, 'bakehouse-container-'));
  const upper = join(dir, 'upper');
  const work = join(dir, 'work');
  const root = join(dir, 'root');
  await Promise.all([upper, work, root].map((path) => mkdir(path)));
  const layers = `lowerdir=${tree},upperdir=${upper},workdir=${work}`;
  await must('mount', ['-t', 'overlay', 'overlay', '-o', layers, root]);
  return root;
}

/** Unmount a root from mountRootfs and delete its upper layer. */
export function releaseRootfs(root: string): Promise<void> {
  return removeTree(dirname(root));
}

/** Unmount whatever is still mounted below `dir`, then delete it without crossing mounts. */
async function removeTree(dir: string): Promise<void> {
  for (const mountPoint of mountsBelow(dir).reverse()) {
    const unmounted = await run('umount', [mountPoint]);
    if (unmounted.code !== 0) await must('umount', ['--lazy', mountPoint]);
  }
  await must('rm', ['-rf', '--one-file-system', dir]);
}

function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}
