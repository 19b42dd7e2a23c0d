// The `bakehouse` command as a person runs it: a `bakehouse serve` on a free port, the command in
// its own process against it; exit codes, --json output checked against the route table's schemas.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BakeStatusSchema,
  ClassEstimateAnswerSchema,
  ClassStatusSchema,
  ErrorSchema,
} from '../../layers/core/api/schemas';
import { ROOT } from '../../local/serverless-config';
import { ARGS, bakehouse, TSX } from './run';

let server: ChildProcess;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 'bakehouse-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const request = {
  name: 'intro-genomics',
  image: 'ami-0123456789abcdef0',
  seats: 3,
  schedule: { start: '2099-03-02T09:00', end: '2099-03-02T12:00', timezone: 'UTC' },
  instructor: { email: 'grace@example.edu' },
  sender: 'classes@example.edu',
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

describe('bakehouse recipe check', () => {
  it('prints the compiled bake script with --script', async () => {
    const { code, stdout } = await bakehouse([
      'recipe',
      'check',
      'examples/recipes/genomics-workshop.yaml',
      '--script',
    ]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^#!\/usr\/bin\/env bash\n# bakehouse bake script for recipe genomics-workshop\n/,
    );
  });

  it('reads a repo2docker directory', async () => {
    const { code, stdout } = await bakehouse([
      '--json',
      'recipe',
      'check',
      'examples/recipes/intro-python',
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'intro-python',
      recipeHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('exits 2 naming each bad field, 3 for a recipe that is not there', async () => {
    const bad = file(
      'bad.yaml',
      'name: X\nbaseImage: /aws/service/debian/release/12/latest/amd64\n',
    );

    const invalid = await bakehouse(['--json', 'recipe', 'check', bad]);
    const missing = await bakehouse(['recipe', 'check', join(dir, 'none.yaml')]);

    expect(invalid.code).toBe(2);
    expect(ErrorSchema.parse(JSON.parse(invalid.stdout)).issues?.map((i) => i.path)).toEqual([
      'name',
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no recipe at');
  });
});

describe('bakehouse against bakehouse serve', () => {
  it('bake --json prints only the bake status, no execution ARN', async () => {
    const { code, stdout } = await bakehouse(
      ['--json', 'bake', 'examples/recipes/genomics-workshop.yaml', '--force'],
      local(),
    );

    expect(code).toBe(0);
    expect(BakeStatusSchema.parse(JSON.parse(stdout)).id).toMatch(/^bake-/);
    expect(stdout).not.toContain('arn:');
  });

  it('estimate --json prints the estimate and plan', async () => {
    const { code, stdout } = await bakehouse(
      ['--json', 'estimate', file('class.json', request)],
      local(),
    );

    expect(code).toBe(0);
    expect(ClassEstimateAnswerSchema.parse(JSON.parse(stdout)).plan.seats).toBe(3);
  });

  it('classroom create --dry-run prints the estimate for a person; without it, starts the class and prints its status', async () => {
    // The simulated account's Debian 12 image: the class is planned against it.
    const path = file('class.json', { ...request, image: 'ami-064519b8c76274859' });

    const dry = await bakehouse(['classroom', 'create', path, '--dry-run'], local());
    const real = await bakehouse(['classroom', 'create', path], local());

    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Estimate: \$\d+\.\d\d \(/);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^Class class-\S+ \(intro-genomics\): /);
  });

  it('exits 1 for a class that failed before it was planned, printing why', async () => {
    const { code, stdout } = await bakehouse(
      ['--json', 'classroom', 'create', file('unplanned.json', request)],
      local(),
    );

    expect(code).toBe(1);
    const status = ClassStatusSchema.parse(JSON.parse(stdout));
    expect(status.state).toBe('failed');
    expect(status.failure).toMatch(/ami-0123456789abcdef0/);
  });

  it('exits 2 for a request the API refuses, naming the fields', async () => {
    const { code, stdout } = await bakehouse(
      ['--json', 'classroom', 'create', file('bad.json', { ...request, name: 'X', seats: 0 })],
      local(),
    );

    expect(code).toBe(2);
    expect(ErrorSchema.parse(JSON.parse(stdout)).issues?.map((i) => i.path)).toEqual(
      expect.arrayContaining(['name', 'seats']),
    );
  });

  it('classroom add-seats --json prints the class; replace-seat and resend exit 4 before seating, 3 for no class', async () => {
    const started = await bakehouse(
      [
        '--json',
        'classroom',
        'create',
        file('named.json', {
          ...request,
          // The simulated account's Debian 12 image: the class is planned against it.
          image: 'ami-064519b8c76274859',
          seats: undefined,
          students: [{ name: 'Ada', email: 'ada@example.edu' }],
        }),
      ],
      local(),
    );
    const { id } = ClassStatusSchema.parse(JSON.parse(started.stdout));
    const students = file('late.json', [{ name: 'Late Student', email: 'late@example.edu' }]);
    // The class is in the store once its execution has planned it.
    let added = await bakehouse(['--json', 'classroom', 'add-seats', id, students], local());
    for (let i = 0; added.code === 3 && i < 20; i++) {
      await new Promise((done) => setTimeout(done, 500));
      added = await bakehouse(['--json', 'classroom', 'add-seats', id, students], local());
    }

    expect(added.code, added.stdout).toBe(0);
    const status = ClassStatusSchema.parse(JSON.parse(added.stdout));
    expect([status.id, status.state]).toEqual([id, 'scheduled']);
    const replaced = await bakehouse(
      ['--json', 'classroom', 'replace-seat', id, 'seat-001'],
      local(),
    );
    expect(replaced.code).toBe(4);
    expect(ErrorSchema.parse(JSON.parse(replaced.stdout)).message).toMatch(
      /no seat is launched yet/,
    );
    const resent = await bakehouse(['classroom', 'resend', id, 'seat-001'], local());
    expect(resent.code).toBe(4);
    expect(resent.stderr).toMatch(/answered 409: ConflictError: class .* is scheduled/);
    const none = await bakehouse(['classroom', 'resend', 'class-none', 'seat-001'], local());
    expect(none.code).toBe(3);
    const bad = await bakehouse(['classroom', 'add-seats', id, file('zero.json', 0)], local());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/seats: must be at least 1/);
  }, 180_000);

  it('exits 2 without an endpoint, or for a command it does not know', async () => {
    const none = await bakehouse(['estimate', file('class.json', request)]);
    const unknown = await bakehouse(['classroom', 'teleport'], local());

    expect(none.code).toBe(2);
    expect(none.stderr).toContain('BAKEHOUSE_ENDPOINT');
    expect(unknown.code).toBe(2);
  });
});

describe('bakehouse classroom stop | start | extend | delete', () => {
  it('exits 3 for a class that is not there, 2 for an extend without --end or a missing id', async () => {
    const unknown = await bakehouse(['--json', 'classroom', 'start', 'class-nobody'], local());
    const noEnd = await bakehouse(['classroom', 'extend', 'class-nobody'], local());
    const noId = await bakehouse(['classroom', 'stop'], local());
    const badEnd = await bakehouse(
      ['classroom', 'extend', 'class-nobody', '--end', 'soon'],
      local(),
    );

    expect(unknown.code).toBe(3);
    expect(ErrorSchema.parse(JSON.parse(unknown.stdout)).error).toBe('NotFoundError');
    expect(noEnd.code).toBe(2);
    expect(noEnd.stderr).toContain('--end');
    expect(noId.code).toBe(2);
    expect(badEnd.code).toBe(2);
  }, 120_000);
});
