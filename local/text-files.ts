/**
 * Shell and Python files imported from TypeScript arrive as their text, as esbuild's `text`
 * loader gives them to the Lambda bundles: `import script from './seat-script.sh'`. Imported with
 * `tsx --import ./local/text-files.ts`, this module registers itself as a module load hook.
 */
import { readFile } from 'node:fs/promises';
import { type LoadHook, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

export const TEXT_FILE = /\.(?:sh|py)$/;

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!TEXT_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const text = await readFile(new URL(url), 'utf8');
  return {
    format: 'module',
    source: `export default ${JSON.stringify(text)};`,
    shortCircuit: true,
  };
};

if (isMainThread) register(import.meta.url);
