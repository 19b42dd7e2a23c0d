/**
 * `npm run bench:bundles`: every function bundled with esbuild exactly as serverless.yml's
 * `custom.esbuild` says, its size, and the median wall time of a fresh `node` process that
 * imports it — beside `node -e 0` and beside a minimal bundle of the same AWS SDK clients (only
 * the clients, nothing of ours), all measured in one round-robin so machine load hits each alike.
 * Prints one JSON document.
 *
 *   npm run bench:bundles -- --runs 9     (5 by default)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import * as yaml from 'js-yaml';
import { ROOT } from '../local/serverless-config';
import { median } from './models';

interface Sls {
  functions: Record<string, { handler: string }>;
  custom: { esbuild: Record<string, unknown> & { exclude?: string[] } };
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const OUT = join(ROOT, '.cache/bench-bundles');

const sls = yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as Sls;
const { exclude, outputFileExtension, ...options } = sls.custom.esbuild;

/** Bundles `entry` to OUT/`name`.mjs; its size and the SDK clients inside it. */
async function bundle(name: string, entry: { file: string } | { source: string }) {
  const result = await build({
    ...options,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: ROOT, loader: 'ts' } }),
    external: exclude ?? [],
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const file = join(OUT, `${name}${outputFileExtension ?? '.mjs'}`);
  writeFileSync(file, code);
  const output = Object.values(result.metafile.outputs)[0];
  const contributed = Object.entries(output?.inputs ?? {}).filter(([, i]) => i.bytesInOutput > 0);
  const clients = contributed.flatMap(([input]) => {
    const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\/.*Client\.js$/.exec(input);
    return m?.[1] ? [m[1]] : [];
  });
  const byPackage: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of contributed) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? 'bakehouse';
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
  }
  const largest = Object.entries(byPackage)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([pkg, bytes]) => [pkg, Math.round((bytes / 1024) * 10) / 10]);
  return {
    file,
    kib: Math.round((code.length / 1024) * 10) / 10,
    gzipKib: Math.round((gzipSync(code).length / 1024) * 10) / 10,
    clients: [...new Set(clients)].sort(),
    largestPackagesKiB: Object.fromEntries(largest),
  };
}

/** Only the clients: each client class referenced, so the bundle keeps it and what it needs. */
function minimalSource(clients: readonly string[]): string {
  const names = clients.map((c, i) => ({ c, alias: `Client${i}` }));
  const imports = names.map(({ c, alias }) => {
    const pascal = CLIENT_CLASS[c];
    if (!pascal) throw new Error(`no client class known for @aws-sdk/${c}`);
    return `import { ${pascal} as ${alias} } from '@aws-sdk/${c}';`;
  });
  return `${imports.join('\n')}\nexport const clients = [${names.map((n) => n.alias).join(', ')}];\n`;
}

const CLIENT_CLASS: Record<string, string> = {
  'client-ec2': 'EC2Client',
  'client-ssm': 'SSMClient',
  'client-sesv2': 'SESv2Client',
  'client-scheduler': 'SchedulerClient',
  'client-sfn': 'SFNClient',
  'client-dynamodb': 'DynamoDBClient',
  'client-route-53': 'Route53Client',
  'client-s3': 'S3Client',
  'client-cloudformation': 'CloudFormationClient',
};

/** Wall milliseconds of one fresh node process running `args`. */
function processMs(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH } });
  return performance.now() - started;
}

mkdirSync(OUT, { recursive: true });
const functions: Record<string, Awaited<ReturnType<typeof bundle>> & { minimal: string }> = {};
const minimal: Record<string, Awaited<ReturnType<typeof bundle>>> = {};
for (const [name, fn] of Object.entries(sls.functions)) {
  const entry = join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
  const built = await bundle(name, { file: entry });
  const key = built.clients.join('+') || 'none';
  if (!minimal[key] && built.clients.length)
    minimal[key] = await bundle(`minimal-${key}`, { source: minimalSource(built.clients) });
  functions[name] = { ...built, minimal: key };
}

const targets: Record<string, string[]> = { 'node -e 0': ['-e', '0'] };
for (const [name, b] of Object.entries({ ...functions, ...prefixed(minimal) }))
  targets[name] = [b.file];
const samples: Record<string, number[]> = Object.fromEntries(
  Object.keys(targets).map((k) => [k, []]),
);
for (let run = 0; run < RUNS; run++)
  for (const [name, args] of Object.entries(targets)) samples[name]?.push(processMs(args));
const ms = (name: string) => Math.round(median(samples[name] ?? []) ?? 0);

function prefixed<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`minimal-${k}`, v]));
}

console.log(
  JSON.stringify(
    {
      node: process.version,
      runs: RUNS,
      esbuild: options,
      nodeE0Ms: ms('node -e 0'),
      functions: Object.fromEntries(
        Object.entries(functions).map(([name, f]) => {
          const base = minimal[f.minimal];
          return [
            name,
            {
              bundleKiB: f.kib,
              gzipKiB: f.gzipKib,
              coldImportMs: ms(name),
              sdkClients: f.clients,
              largestPackagesKiB: f.largestPackagesKiB,
              ...(base
                ? {
                    minimalClientsKiB: base.kib,
                    minimalClientsColdImportMs: ms(`minimal-${f.minimal}`),
                  }
                : {}),
            },
          ];
        }),
      ),
      bundlesIn: relative(ROOT, OUT),
    },
    null,
    2,
  ),
);
