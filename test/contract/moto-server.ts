/**
 * Global setup of the contract project: one `moto_server` for every contract file, on a free
 * port of 127.0.0.1, in its own process group so that teardown ends it and anything it started.
 * Without `moto_server` on PATH the suite is skipped with the reason, except under `CI=true`,
 * where that is a failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the running moto_server, or '' when the suite is skipped. */
    motoEndpoint: string;
    /** Why the suite is skipped ('' when it runs). */
    motoSkipReason: string;
  }
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no free port found');
  return address.port;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`, {
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Signals moto_server's whole process group; a group already gone is not an error. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const { pid } = child;
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
  const exited = once(child, 'exit');
  killGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function start(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`moto_server exited (${code ?? signal}) before answering:\n${stderr}`)),
    );
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await Promise.race([answers(endpoint), failed]))) {
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(
        `moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  // Should vitest exit without tearing down (an uncaught error), the server still goes with it.
  const { pid } = child;
  const onExit = () => pid !== undefined && killGroup(pid, 'SIGKILL');
  process.once('exit', onExit);
  return {
    endpoint,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stop(child);
    },
  };
}

export default async function setup(project: TestProject) {
  let server: { endpoint: string; stop: () => Promise<void> };
  try {
    server = await start();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing) throw error;
    const reason = 'moto_server is not on PATH (pip install "moto[server]==5.2.1")';
    if (process.env.CI === 'true') throw new Error(`contract suite: ${reason}; CI requires it`);
    console.warn(`contract suite skipped: ${reason}`);
    project.provide('motoEndpoint', '');
    project.provide('motoSkipReason', reason);
    return;
  }
  project.provide('motoEndpoint', server.endpoint);
  project.provide('motoSkipReason', '');
  return server.stop;
}
