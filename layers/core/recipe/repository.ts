/**
 * The repository a repo2docker recipe comes from, as it travels in the recipe and the script:
 * each file gzip-compressed (level 9, so the same bytes always give the same recipe hash) and
 * base64-encoded, then written into the Jupyter user's home by the `repository` phase.
 */
import { gzipSync } from 'node:zlib';
import { heredoc, shQuote } from '../shell';
import type { Recipe } from './schema';

export type RepoContent = ReadonlyMap<string, { data: Uint8Array; executable: boolean }>;
export type PackedFiles = NonNullable<Recipe['repository']>['files'];

export function packRepository(content: RepoContent): PackedFiles {
  const files: Record<string, { gzip: string; executable: boolean }> = {};
  for (const path of [...content.keys()].sort()) {
    const file = content.get(path);
    if (!file) continue;
    files[path] = {
      gzip: gzipSync(file.data, { level: 9 }).toString('base64'),
      executable: file.executable,
    };
  }
  return files;
}

/** Base64 in lines of 76, as `base64 -d` reads it and a heredoc carries it. */
const wrap = (text: string) => text.match(/.{1,76}/g)?.join('\n') ?? '';

/** Every directory that holds one of `paths`, parents first. */
function directoriesOf(paths: string[]): string[] {
  const directories = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  return [...directories].sort();
}

/**
 * Commands (run as root, with `$home` set to the user's home) that put every file under it,
 * owned by `user`, directories first. A file already there is replaced, so a re-run leaves the
 * repository as the recipe has it.
 */
export function repositoryCommands(files: PackedFiles, user: string): string[] {
  const paths = Object.keys(files).sort();
  const owner = shQuote(user);
  const under = (path: string) => `"$home"/${shQuote(path)}`;
  return [
    ...directoriesOf(paths).map((d) => `install -d -o ${owner} -g ${owner} -m 0755 ${under(d)}`),
    ...paths.map((path) => {
      const file = files[path];
      const mode = file?.executable ? '0755' : '0644';
      return [
        heredoc(`{ base64 -d | gunzip >${under(path)}; }`, wrap(file?.gzip ?? '')),
        `chown ${owner}: ${under(path)} && chmod ${mode} ${under(path)}`,
      ].join('\n');
    }),
  ];
}
