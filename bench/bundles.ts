/** Each function bundled exactly as serverless.yml's esbuild settings do, measured in KiB. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as yaml from 'js-yaml';
import { ROOT } from '../local/serverless-config';

interface Sls {
  functions: Record<string, { handler: string }>;
  custom: {
    esbuild: {
      mainFields: string[];
      target: string;
      banner: { js: string };
      loader: Record<string, 'text'>;
    };
  };
}

export async function bundleSizes(): Promise<Record<string, { bundle: number; gzip: number }>> {
  const sls = yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as Sls;
  const { gzipSync } = await import('node:zlib');
  const sizes: Record<string, { bundle: number; gzip: number }> = {};
  for (const [name, fn] of Object.entries(sls.functions)) {
    const entry = join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      format: 'esm',
      target: sls.custom.esbuild.target,
      mainFields: sls.custom.esbuild.mainFields,
      banner: sls.custom.esbuild.banner,
      loader: sls.custom.esbuild.loader,
      write: false,
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    sizes[name] = {
      bundle: Math.round(code.length / 1024),
      gzip: Math.round(gzipSync(code).length / 1024),
    };
  }
  return sizes;
}
