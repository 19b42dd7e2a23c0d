import { createHash } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateSecurityGroupCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { argon2id } from 'hash-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND } from '../../local/sim/kernel/clock';
import { failure, type Harness, harness, managedInstances } from './harness';

interface Credentials {
  password: string;
  token: string;
}

const ALICE: Credentials = { password: 'tulip-orbit-7', token: 'a'.repeat(48) };
const BOB: Credentials = { password: 'maple-delta-3', token: 'b'.repeat(48) };
const hashes = new Map<string, string>();

beforeAll(async () => {
  for (const { password } of [ALICE, BOB]) {
    const encoded = await argon2id({
      password,
      salt: createHash('sha256').update(password).digest().subarray(0, 16),
      iterations: 1,
      memorySize: 1024,
      parallelism: 1,
      hashLength: 32,
      outputType: 'encoded',
    });
    hashes.set(password, `argon2:${encoded}`);
  }
});

function seatScript({ password, token }: Credentials, port = 8888, tls: string[] = []): string {
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    '# bakehouse:seat-config',
    `PASSWORD_HASH='${hashes.get(password)}'`,
    `TOKEN_SHA256='${createHash('sha256').update(token).digest('hex')}'`,
    `JUPYTER_PORT='${port}'`,
    ...tls,
    '',
    'echo "bakehouse: seat ready on port $JUPYTER_PORT"',
  ].join('\n');
}

let groups = 0;

async function openGroup(h: Harness, ...ports: (number | null)[]): Promise<string> {
  groups += 1;
  const { GroupId } = await h.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `seats-${groups}`, Description: 'seats' }),
  );
  for (const port of ports) {
    if (port === null) continue;
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        CidrIp: '0.0.0.0/0',
      }),
    );
  }
  return GroupId as string;
}

/** Run the seat script to completion in small steps; returns just after it succeeded everywhere. */
async function configure(
  h: Harness,
  instanceIds: string | string[],
  credentials: Credentials,
  tls: string[] = [],
): Promise<void> {
  const ids = [instanceIds].flat();
  const { Command } = await h.ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ids,
      Parameters: { commands: [seatScript(credentials, 8888, tls)] },
    }),
  );
  const pending = new Set(ids);
  for (let i = 0; i < 1000 && pending.size; i++) {
    h.advance(250);
    for (const id of pending) {
      const out = await h.ssm
        .send(new GetCommandInvocationCommand({ CommandId: Command?.CommandId, InstanceId: id }))
        .catch(() => undefined);
      if (out?.Status === 'Success') pending.delete(id);
      else if (out && !['Pending', 'InProgress'].includes(out.Status ?? ''))
        throw new Error(`seat script ${out.Status}`);
    }
  }
  if (pending.size) throw new Error('seat script never finished');
}

/** A managed instance whose security group opens `port` (none when null) to the world. */
async function seat(h: Harness, port: number | null = 8888) {
  const group = await openGroup(h, port);
  const [id] = (await managedInstances(h, 1, { SecurityGroupIds: [group] })) as [string];
  const ip = h.sim.ec2.instances().find((i) => i.instanceId === id)?.publicIp as string;
  return { id, ip, base: `http://${ip}:8888` };
}

async function ready(h: Harness) {
  const s = await seat(h);
  await configure(h, s.id, ALICE);
  h.advance(10 * SECOND);
  return s;
}

const causeCode = (error: Error & Record<string, unknown>) =>
  (error.cause as { code?: string } | undefined)?.code;

describe('seat network (sim.fetch)', () => {
  it('serves a TLS seat over HTTPS on 443 for its own address only, and redirects port 80', async () => {
    // Prepare
    const h = harness();
    const group = await openGroup(h, 443, 80, 8888);
    const [id] = (await managedInstances(h, 1, { SecurityGroupIds: [group] })) as [string];
    const ip = h.sim.ec2.instances().find((i) => i.instanceId === id)?.publicIp as string;
    await configure(h, id, ALICE, ["TLS_MODE='acme'", `SEAT_HOST='${ip}'`]);
    h.advance(10 * SECOND);

    // Act
    const https = await h.sim.fetch(`https://${ip}/api/status`, {
      headers: { authorization: `token ${ALICE.token}` },
    });
    const http = await h.sim.fetch(`http://${ip}/tree`, { redirect: 'manual' });
    const jupyterPort = await failure(h.sim.fetch(`http://${ip}:8888/api/status`));
    const otherName = await failure(
      h.sim.fetch(`https://ec2-${ip.replaceAll('.', '-')}.compute-1.amazonaws.com/api/status`),
    );

    // Assess
    expect(https.status).toBe(200);
    expect(http.status).toBe(308);
    expect(http.headers.get('location')).toBe(`https://${ip}/tree`);
    expect(causeCode(jupyterPort)).toBe('ECONNREFUSED');
    expect(causeCode(otherName)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('refuses connections before the seat is configured and while it warms up', async () => {
    // Prepare
    const h = harness();
    const { id, base } = await seat(h);

    // Act
    const unconfigured = await failure(h.sim.fetch(`${base}/api/status`));
    await configure(h, id, ALICE);
    const warming = await failure(h.sim.fetch(`${base}/api/status`));
    h.advance(8 * SECOND);
    const warm = await h.sim.fetch(`${base}/api/status`);

    // Assess
    expect(unconfigured).toBeInstanceOf(TypeError);
    expect(unconfigured.message).toBe('fetch failed');
    expect(causeCode(unconfigured)).toBe('ECONNREFUSED');
    expect(causeCode(warming)).toBe('ECONNREFUSED');
    expect(warm.status).toBe(403);
  });

  it('answers late, within a minute, on instances from a freshly baked image (lazy EBS load)', async () => {
    // Prepare
    const h = harness();
    const { id: builder } = await seat(h);
    const { ImageId } = await h.ec2.send(
      new CreateImageCommand({ InstanceId: builder, Name: 'fresh' }),
    );
    h.advance(HOUR);
    const group = await openGroup(h, 8888);
    const ids = await managedInstances(h, 5, { ImageId, SecurityGroupIds: [group] });
    const bases = h.sim.ec2
      .instances()
      .filter((i) => ids.includes(i.instanceId))
      .map((i) => `http://${i.publicIp}:8888`);
    const answering = async () =>
      (await Promise.allSettled(bases.map((base) => h.sim.fetch(`${base}/api/status`)))).filter(
        (r) => r.status === 'fulfilled',
      ).length;

    // Act
    await configure(h, ids, ALICE);
    h.advance(9 * SECOND);
    const afterNine = await answering();
    h.advance(MINUTE);
    const afterMinute = await answering();

    // Assess
    expect(afterNine).toBeLessThan(5);
    expect(afterMinute).toBe(5);
  });

  it('times out when no security group rule opens the port to the internet', async () => {
    // Prepare
    const h = harness();
    const { id, base } = await seat(h, null);
    await configure(h, id, ALICE);
    h.advance(MINUTE);

    // Act
    const error = await failure(h.sim.fetch(`${base}/api/status`));

    // Assess
    expect(causeCode(error)).toBe('UND_ERR_CONNECT_TIMEOUT');
  });

  it('answers /api/status 403 without credentials, 200 with the right token, 403 with another', async () => {
    // Prepare
    const h = harness();
    const { base } = await ready(h);

    // Act
    const anonymous = await h.sim.fetch(`${base}/api/status`);
    const right = await h.sim.fetch(`${base}/api/status`, {
      headers: { Authorization: `token ${ALICE.token}` },
    });
    const wrong = await h.sim.fetch(`${base}/api/status`, {
      headers: { Authorization: `token ${BOB.token}` },
    });

    // Assess
    expect([anonymous.status, right.status, wrong.status]).toEqual([403, 200, 403]);
    expect(await anonymous.json()).toEqual({ message: 'Forbidden', reason: null });
    expect(await right.json()).toMatchObject({ started: expect.any(String), kernels: 0 });
  });

  it('logs in with the password: _xsrf cookie, 302 to /tree with the login cookie, then /api/status 200', async () => {
    // Prepare
    const h = harness();
    const { base, ip } = await ready(h);

    // Act
    const page = await h.sim.fetch(`${base}/login`);
    const xsrf = /_xsrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] as string;
    const login = await h.sim.fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_xsrf=${xsrf}` },
      body: new URLSearchParams({ password: ALICE.password, _xsrf: xsrf }),
    });
    const session = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('username-'))
      ?.split(';')[0] as string;
    const status = await h.sim.fetch(`${base}/api/status`, { headers: { cookie: session } });

    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="_xsrf"');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/tree');
    expect(session.startsWith(`username-${ip.replaceAll('.', '-')}-8888=`)).toBe(true);
    expect(login.headers.getSetCookie().find((c) => c.startsWith('username-'))).toContain(
      'HttpOnly',
    );
    expect(status.status).toBe(200);
  });

  it('answers a wrong password with 401 and a POST without _xsrf with 403', async () => {
    // Prepare
    const h = harness();
    const { base } = await ready(h);
    const page = await h.sim.fetch(`${base}/login`);
    const xsrf = /_xsrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] as string;
    const post = (form: Record<string, string>) =>
      h.sim.fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_xsrf=${xsrf}` },
        body: new URLSearchParams(form),
      });

    // Act
    const wrong = await post({ password: BOB.password, _xsrf: xsrf });
    const noXsrf = await post({ password: ALICE.password });

    // Assess
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(noXsrf.status).toBe(403);
  });

  it('follows redirects like fetch does, landing on the login page since fetch keeps no cookies', async () => {
    // Prepare
    const h = harness();
    const { base } = await ready(h);
    const page = await h.sim.fetch(`${base}/login`);
    const xsrf = /_xsrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] as string;

    // Act
    const followed = await h.sim.fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_xsrf=${xsrf}` },
      body: new URLSearchParams({ password: ALICE.password, _xsrf: xsrf }),
    });

    // Assess
    expect(followed.status).toBe(200);
    expect(await followed.text()).toContain('id="login_form"');
  });

  it('serves the newest configuration after a seat is configured again', async () => {
    // Prepare
    const h = harness();
    const { id, base } = await ready(h);

    // Act
    await configure(h, id, BOB);
    h.advance(10 * SECOND);
    const oldToken = await h.sim.fetch(`${base}/api/status`, {
      headers: { Authorization: `token ${ALICE.token}` },
    });
    const newToken = await h.sim.fetch(`${base}/api/status`, {
      headers: { Authorization: `token ${BOB.token}` },
    });

    // Assess
    expect([oldToken.status, newToken.status]).toEqual([403, 200]);
  });

  it('breaks the credentials of the next seat under the seatAuthBroken fault only', async () => {
    // Prepare
    const h = harness({ faults: { seatAuthBroken: { count: 1 } } });
    const first = await ready(h);
    const second = await ready(h);
    const status = (base: string) =>
      h.sim.fetch(`${base}/api/status`, { headers: { Authorization: `token ${ALICE.token}` } });

    // Act
    const broken = await status(first.base);
    const fine = await status(second.base);

    // Assess
    expect([broken.status, fine.status]).toEqual([403, 200]);
  });

  it('refuses connections to a stopped seat, unknown addresses and names it cannot resolve', async () => {
    // Prepare
    const h = harness();
    const { id, base } = await ready(h);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));

    // Act
    const stopped = await failure(h.sim.fetch(`${base}/api/status`));
    const unknown = await failure(h.sim.fetch('http://203.0.113.250:8888/api/status'));
    const name = await failure(h.sim.fetch('http://example.org/'));

    // Assess
    expect(causeCode(stopped)).toBe('ECONNREFUSED');
    expect(causeCode(unknown)).toBe('ECONNREFUSED');
    expect(causeCode(name)).toBe('ENOTFOUND');
  });

  it('answers on the public DNS name of the instance too', async () => {
    // Prepare
    const h = harness();
    const { ip } = await ready(h);

    // Act
    const response = await h.sim.fetch(
      `http://ec2-${ip.replaceAll('.', '-')}.compute-1.amazonaws.com:8888/api/status`,
    );

    // Assess
    expect(response.status).toBe(403);
  });
});
