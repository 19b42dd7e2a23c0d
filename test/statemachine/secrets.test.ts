/**
 * No generated plaintext (seat passwords and tokens, as Parameter Store holds them) anywhere
 * else: not in states, logs, command parameters, tags, user data, the class store's items, the
 * roster, `npm start`'s output, or any page and line of the local server (`bakehouse serve`).
 * Only the students' own emails carry them.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamodbClient } from '../../layers/aws/clients';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { ROUTES } from '../../layers/core/api/routes';
import { classroomLocally } from '../../local/classroom-locally';
import { runLocal } from '../../local/runner';
import { serveLocally } from '../../local/serve';
import { sessionStartingSoon } from '../../local/session-soon';
import type { SimulatedAws } from '../../local/sim';
import { LOCAL_CLASSES_TABLE, LOCAL_SENDER } from '../../local/simulation';
import { simulatedAws } from './simulated';

const DEBIAN = '/aws/service/debian/release/12/latest/amd64';

/** Every plaintext the run generated: the values of the class's SecureString parameters. */
function plaintexts(sim: SimulatedAws): string[] {
  return sim.ssm
    .parameters()
    .filter((p) => p.type === 'SecureString')
    .flatMap((p) => Object.values(JSON.parse(p.value) as Record<string, string>));
}

async function classStoreItems(): Promise<string> {
  const output = await dynamodbClient('us-east-1').send(
    new ScanCommand({ TableName: LOCAL_CLASSES_TABLE, ConsistentRead: true }),
  );
  return JSON.stringify(output.Items ?? []);
}

function request(image: string, now: number, n = 3) {
  return {
    name: 'intro-secrets',
    image,
    students: Array.from({ length: n }, (_, i) => ({
      name: `Student ${i + 1}`,
      email: `student${i + 1}@example.edu`,
    })),
    schedule: sessionStartingSoon(now),
    instructor: { name: 'Ada Lovelace', email: 'ada@example.edu' },
    sender: LOCAL_SENDER,
  };
}

/** Everything printed while `work` runs. */
async function printed(work: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  const log = vi.spyOn(console, 'log').mockImplementation(keep);
  const error = vi.spyOn(console, 'error').mockImplementation(keep);
  try {
    await work();
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return lines.join('\n');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('secrets stay where they belong', () => {
  it('keeps every plaintext out of states, logs, commands, tags, user data, the class store and the roster', async () => {
    const sim = simulatedAws({ outboxDir: '.cache/test-outbox-secrets' });
    const image = await resolvePublicParameter('us-east-1', DEBIAN);

    const run = await runLocal(
      'classroom',
      { request: request(image, sim.clock.now()) },
      { clock: sim.clock, executionName: 'class-secrets' },
    );

    expect(run.status, run.cause).toBe('SUCCEEDED');
    const secrets = plaintexts(sim);
    expect(secrets).toHaveLength(6);
    const places = {
      states: JSON.stringify(run.events),
      logs: JSON.stringify(run.logs),
      commands: JSON.stringify(sim.ssm.commands()),
      tags: JSON.stringify([
        ...sim.ec2.instances().map((i) => i.tags),
        ...sim.ec2.securityGroups().map((g) => g.tags),
        ...sim.ec2.addresses().map((a) => a.tags),
        ...sim.ec2.spotRequests().map((r) => r.tags),
      ]),
      userData: JSON.stringify(sim.ec2.instances().map((i) => i.userData ?? '')),
      classStore: await classStoreItems(),
      roster: JSON.stringify(run.output),
    };
    for (const [place, text] of Object.entries(places))
      for (const secret of secrets)
        expect(text.includes(secret), `${place} holds a plaintext`).toBe(false);
  });

  it("keeps every plaintext out of npm start's output", async () => {
    const sim = simulatedAws({ outboxDir: '.cache/test-outbox-secrets-cli' });
    const imageId = await resolvePublicParameter('us-east-1', DEBIAN);
    const image = {
      imageId,
      imageName: 'debian',
      recipeHash: 'x',
      region: 'us-east-1',
      jupyterPort: 8888,
    };

    let seated = false;
    const output = await printed(async () => {
      seated = await classroomLocally(sim, image, 3, '.cache/test-outbox-secrets-cli');
    });

    expect(seated, output).toBe(true);
    expect(output).toContain('seat-001');
    const secrets = plaintexts(sim);
    expect(secrets).toHaveLength(6);
    for (const secret of secrets) expect(output.includes(secret)).toBe(false);
  });

  it('keeps every plaintext out of the pages and lines of the local server', async () => {
    let stack: Awaited<ReturnType<typeof serveLocally>> | undefined;
    const pages: string[] = [];
    const lines = await printed(async () => {
      stack = await serveLocally({
        port: 0,
        scale: 2_000,
        outboxDir: '.cache/test-outbox-secrets-serve',
      });
      const { sim, url } = stack;
      const image = await resolvePublicParameter('us-east-1', DEBIAN);
      const started = await fetch(`${url}/classrooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request(image, sim.clock.now())),
      });
      pages.push(await started.text());
      await stack.idle();
      for (const route of ROUTES.filter((r) => r.method === 'GET'))
        pages.push(await (await fetch(`${url}${route.path}`)).text());
    });
    await stack?.close();

    expect(JSON.parse(pages[0] as string)).toEqual({ id: expect.stringMatching(/^class-/) });
    expect(lines).toMatch(/SUCCEEDED: 3 of 3 seats ready/);
    const secrets = plaintexts(stack?.sim as SimulatedAws);
    expect(secrets).toHaveLength(6);
    const visible = [...pages, lines].join('\n');
    for (const secret of secrets) expect(visible.includes(secret)).toBe(false);
  }, 60_000);
});
