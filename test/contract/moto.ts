/**
 * The contract files' way onto moto: the adapters' SDK clients reach it through the SDK's own
 * `AWS_ENDPOINT_URL`, with moto's test credentials; clients.ts is not changed for it.
 *
 * moto 5.2.1 is not a timing model, and the contract covers only what it models. Not modelled,
 * so not tested here (the simulator's suites and real AWS cover them):
 * - EC2: instances are `running` at once and never fail; RunInstances launches MinCount
 *   instances (not up to MaxCount) and accepts an AMI that does not exist; ClientToken is not
 *   replayed; a security group in use can be deleted (no DependencyViolation); CreateImage with a
 *   `snapshot` tag specification is not implemented (HTTP 500), so images are made here without
 *   one and `createImage` itself is not covered; a second image of the same name is accepted (no
 *   InvalidAMIName.Duplicate); an image made from an instance has one 15 GiB snapshot on
 *   /dev/sda1, whatever the instance's root device and volumes. A spot launch makes no Spot
 *   Instance request (no SpotInstanceRequestId, nothing to cancel) and a persistent request that
 *   terminates on interruption is accepted, so spot requests are covered by the simulator only.
 * - SSM: DescribeInstanceInformation and ListCommandInvocations are not implemented; SendCommand
 *   accepts unknown and terminated instances, and every invocation succeeds at once with no
 *   output; DeleteParameters takes more than ten names.
 * - Scheduler: schedules never fire; expressions and name lengths are not validated.
 * - SES: identities are verified the moment they are created; recipients are never checked (no
 *   sandbox); there is no sending rate or throttling.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, inject, vi } from 'vitest';

export const REGION = 'us-east-1';
/** moto's account. */
export const ACCOUNT = '123456789012';

const endpoint = inject('motoEndpoint');
const skipReason = inject('motoSkipReason');

/** A `describe` whose tests talk to moto; skipped, with the reason in its title, without it. */
export function describeOnMoto(name: string, body: () => void): void {
  if (!endpoint) {
    describe.skip(`${name} (skipped: ${skipReason})`, body);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      vi.stubEnv('AWS_ENDPOINT_URL', endpoint);
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
      vi.stubEnv('AWS_SESSION_TOKEN', 'testing');
      vi.stubEnv('AWS_REGION', REGION);
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    });
    afterAll(() => {
      vi.unstubAllEnvs();
    });
    body();
  });
}

/** A name no other test (in any contract file: they share one moto) has used. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * A request to one of moto's query APIs that the project has no SDK client for (IAM, SES v1).
 * moto routes by the credential scope's service and does not check the signature.
 */
export async function queryApi(
  service: 'iam' | 'ses',
  params: Record<string, string>,
): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${service} ${params.Action}: ${response.status} ${text}`);
  return text;
}

/** RunInstances needs the instance profile to exist (moto checks it, as AWS does). */
export async function createInstanceProfile(name: string): Promise<void> {
  await queryApi('iam', {
    Action: 'CreateInstanceProfile',
    InstanceProfileName: name,
    Version: '2010-05-08',
  });
}

/** What moto keeps of its backends (`/moto-api/data.json`), e.g. the messages SES accepted. */
export async function motoState(service: string): Promise<Record<string, unknown[]>> {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  const data = (await response.json()) as Record<string, Record<string, unknown[]>>;
  return data[service] ?? {};
}
