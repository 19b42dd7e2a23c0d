// The read commands, --wait, teardown and local advance against a `bakehouse serve` the test
// starts: exit codes, --json printing only the final status, one line per change when piped, and
// a class booked for later that `local advance 1d` seats and stops.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BakeListSchema,
  BakeStatusSchema,
  ClassListSchema,
  ClassStatusSchema,
  TeardownReportSchema,
} from '../../layers/core/api/schemas';
import { ROOT } from '../../local/serverless-config';
import { ARGS, bakehouse, TSX } from './run';

/** Each test runs the command in processes of its own, a few seconds each on a busy machine. */
const SLOW = { timeout: 240_000 };

let server: ChildProcess;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 'bakehouse-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

beforeAll(async () => {
  server = spawn(TSX, [...ARGS, 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  endpoint = await new Promise<string>((resolve, reject) => {
    let seen = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /listening on (http:\/\/localhost:\d+)/.exec(seen)?.[1];
      if (url) resolve(url);
    });
    server.once('exit', (code) => reject(new Error(`bakehouse serve exited ${code}: ${seen}`)));
  });
}, 60_000);

afterAll(() => {
  if (server.pid) process.kill(server.pid, 'SIGTERM');
});

const local = () => ({ BAKEHOUSE_ENDPOINT: endpoint });
const recipe = () =>
  file('recipe.yaml', 'name: stats-cli\nbaseImage: /aws/service/debian/release/12/latest/amd64\n');

/** The local stack's simulated time now (an advance of a minute answers it). */
async function simulatedNow(): Promise<number> {
  const { stdout } = await bakehouse(['--json', 'local', 'advance', '1m'], local());
  return Date.parse((JSON.parse(stdout) as { now: string }).now);
}

let imageId: string;

describe('bakehouse bake --wait and the bake commands', () => {
  it(
    '--json prints only the final status: the bake succeeded with its tested image',
    SLOW,
    async () => {
      const { code, stdout } = await bakehouse(['--json', 'bake', recipe(), '--wait'], local());

      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const status = BakeStatusSchema.parse(JSON.parse(stdout));
      expect(status).toMatchObject({ state: 'succeeded', phase: 'done', progress: 1 });
      imageId = status.image?.id ?? '';
      expect(imageId).toMatch(/^ami-/);
    },
  );

  it(
    'piped, prints one line per change, each stage once, then the status for a person',
    SLOW,
    async () => {
      const { code, stdout } = await bakehouse(['bake', recipe(), '--force', '--wait'], local());

      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      const progress = lines.filter((l) => /^\d\d:\d\d:\d\d bake-/.test(l));
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(new Set(progress.map((l) => l.slice(9))).size).toBe(progress.length);
      expect(progress.at(-1)).toMatch(/ done 100% image ami-/);
      expect(stdout).not.toContain('\r');
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {2}image ami-\w+, tested in us-east-1$/),
      );
      expect(stdout).toMatch(/^Bake bake-\S+: succeeded, done \(100%\)$/m);
    },
  );

  it(
    'lists the bakes and tells one; exit 3 for one it does not know, 2 for no id',
    SLOW,
    async () => {
      const list = await bakehouse(['--json', 'bakes', 'list'], local());
      const { bakes } = BakeListSchema.parse(JSON.parse(list.stdout));
      const one = await bakehouse(['bakes', 'status', bakes[0]?.id ?? ''], local());
      const unknown = await bakehouse(['bakes', 'status', 'bake-never'], local());
      const none = await bakehouse(['bakes', 'status'], local());

      expect(list.code).toBe(0);
      expect(bakes.length).toBeGreaterThanOrEqual(2);
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(/: succeeded, done \(100%\)/);
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toMatch(/404/);
      expect(none.code).toBe(2);
    },
  );
});

describe('bakehouse classroom create --wait and local advance', () => {
  it('books a class for later, and local advance 1d seats it and stops it', SLOW, async () => {
    const now = await simulatedNow();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const start = Math.ceil((now + 4 * 3_600_000) / 60_000) * 60_000;
    const request = file('class.json', {
      name: 'intro-cli',
      image: imageId,
      students: [
        { name: 'Ada Lovelace', email: 'ada@example.edu' },
        { name: 'Grace Hopper', email: 'grace@example.edu' },
      ],
      schedule: { start: day(start), end: day(start + 2 * 3_600_000), timezone: 'UTC' },
      instructor: { email: 'alan@example.edu' },
      sender: 'classes@example.edu',
    });

    const created = await bakehouse(['--json', 'classroom', 'create', request, '--wait'], local());
    const booked = ClassStatusSchema.parse(JSON.parse(created.stdout));
    const advanced = await bakehouse(['local', 'advance', '1d'], local());
    const after = await bakehouse(['--json', 'classroom', 'status', booked.id], local());
    const listed = await bakehouse(['--json', 'classroom', 'list'], local());

    expect(created.code).toBe(0);
    expect(booked).toMatchObject({ state: 'scheduled', next: { step: 'seat' } });
    expect(advanced.code).toBe(0);
    expect(advanced.stdout).toMatch(/^Simulated time is now /);
    expect(advanced.stdout).toMatch(/classroom seat SUCCEEDED/);
    expect(advanced.stdout).toMatch(/classroom stop SUCCEEDED/);
    const status = ClassStatusSchema.parse(JSON.parse(after.stdout));
    expect(status.state).toBe('ended');
    expect(status.seats.map((s) => s.state)).toEqual(['stopped', 'stopped']);
    expect(status.costSoFarUSD).toBeGreaterThan(0);
    expect(ClassListSchema.parse(JSON.parse(listed.stdout)).classrooms.map((c) => c.id)).toContain(
      booked.id,
    );
  });

  it(
    'exits 3 for a class it does not know, and 2 for a duration it cannot read or a stack that is not local',
    SLOW,
    async () => {
      const unknown = await bakehouse(['classroom', 'status', 'class-never'], local());
      const badDuration = await bakehouse(['local', 'advance', '90x'], local());
      const notLocal = await bakehouse(['local', 'advance', '1d'], {
        BAKEHOUSE_ENDPOINT: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      });

      expect(unknown.code).toBe(3);
      expect(badDuration.code).toBe(2);
      expect(badDuration.stderr).toMatch(/duration/);
      expect(notLocal.code).toBe(2);
      expect(notLocal.stderr).toMatch(/local stack/);
    },
  );
});

describe('bakehouse teardown', () => {
  it('--dry-run --json prints the report of a dry run', SLOW, async () => {
    const { code, stdout } = await bakehouse(['--json', 'teardown', '--dry-run'], local());

    expect(code).toBe(0);
    expect(TeardownReportSchema.parse(JSON.parse(stdout))).toMatchObject({ dryRun: true });
  });

  it('without --dry-run says when the teardown runs', SLOW, async () => {
    const { code, stdout } = await bakehouse(['teardown'], local());

    expect(code).toBe(0);
    expect(stdout).toMatch(/^The teardown runs at \d{4}-\d\d-\d\dT/);
  });
});
