/**
 * The seat's user data as cloud-init runs it at first boot, on the debian-notebook bake: the
 * gzipped boot script of a launch of three seats, unzipped and executed by its shebang as root.
 * The instance metadata service is played by the host on 169.254.169.254 (IMDSv2: a token
 * first), answering this instance's launch index, role credentials, region and id; EC2 itself is
 * out of reach here, so the seat's report on itself is seen as the attempt it makes.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../layers/core/classroom/credentials';
import { bootUserData, settingsDigest } from '../../layers/core/classroom/seat-script/batch';
import { containerTestsUnavailable, titled } from './support/host';
import type { Ran } from './support/run';
import { random, SeatMachine, sealed } from './support/seat';

const unavailable = containerTestsUnavailable();
const IMDS = '169.254.169.254';
const TOKEN = 'imds-session-token';
const LAUNCH_INDEX = 1;

/** IMDSv2 as an instance sees it: every read needs the session token from the PUT. */
function metadataService(): Server {
  const answers: Record<string, string> = {
    '/latest/meta-data/ami-launch-index': String(LAUNCH_INDEX),
    '/latest/meta-data/iam/security-credentials/': 'bakehouse-seat',
    '/latest/meta-data/iam/security-credentials/bakehouse-seat': JSON.stringify({
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      SecretAccessKey: 'example-secret',
      Token: 'example-session',
    }),
    '/latest/meta-data/placement/region': 'us-east-1',
    '/latest/meta-data/instance-id': 'i-0123456789abcdef0',
  };
  return createServer((request, response) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') return response.end(TOKEN);
    const answer = answers[request.url ?? ''];
    if (request.headers['x-aws-ec2-metadata-token'] !== TOKEN) response.statusCode = 401;
    else if (answer === undefined) response.statusCode = 404;
    response.end(response.statusCode === 200 ? answer : '');
  });
}

describe.skipIf(unavailable)(titled('the seat configuring itself at boot', unavailable), () => {
  let machine: SeatMachine;
  let imds: Server;
  const seats = [
    generateCredential(random),
    generateCredential(random),
    generateCredential(random),
  ];
  let given: Awaited<ReturnType<typeof sealed>>[];
  let ran: Ran;

  beforeAll(async () => {
    execFileSync('ip', ['addr', 'add', `${IMDS}/32`, 'dev', 'lo']);
    imds = metadataService();
    await new Promise<void>((resolve) => imds.listen(80, IMDS, resolve));
    machine = await SeatMachine.boot();
    given = await Promise.all(seats.map(sealed));
    ran = await machine.container.runUserData(
      bootUserData(machine.port, { mode: 'none' }, given),
      5 * 60_000,
    );
  });

  afterAll(async () => {
    await machine?.dispose();
    await new Promise((resolve) => imds?.close(resolve));
    execFileSync('ip', ['addr', 'del', `${IMDS}/32`, 'dev', 'lo']);
  });

  it('serves Jupyter behind the credential of its own launch index, and no other', async () => {
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    expect(await machine.probe(seats[LAUNCH_INDEX] as (typeof seats)[number])).toEqual({
      ready: true,
    });
    expect((await machine.probe(seats[0] as (typeof seats)[number])).ready).toBe(false);
  });

  it('reports ready with the digest of the settings it was given, signed with its role', () => {
    // Assess: the report is a signed CreateTags to EC2, unreachable from here.
    const { passwordHash, tokenDigest } = given[LAUNCH_INDEX] as (typeof given)[number];
    expect(ran.stderr).toContain(
      `could not report 'ready ${settingsDigest(passwordHash, tokenDigest)}' on the instance`,
    );
  });
});
