/**
 * `serverless package` once per test run, shared by every test file that reads the template.
 * Test files run in parallel workers and the packager writes to one .serverless/ folder, so the
 * first caller packages under a lock and the others wait for its copy of the template in the
 * run's temporary folder (emptied at the start of every run by test/global-setup.ts).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../../local/serverless-config';
import { TEST_TMPDIR } from '../global-setup';

export const PACKAGED = join(TEST_TMPDIR, 'cloudformation-template-update-stack.json');
/** The hosted zone the packaged stack may name seats in (its `seatHostedZoneId` parameter). */
export const PACKAGED_SEAT_ZONE = 'Z0BAKEHOUSEJUDGED';
const LOCK = join(TEST_TMPDIR, 'packaging.lock');

function packageNow() {
  const args = ['package', '--stage', 'dev', '--region', 'us-east-1'];
  execFileSync('npx', ['serverless', ...args, `--param=seatHostedZoneId=${PACKAGED_SEAT_ZONE}`], {
    cwd: ROOT,
    stdio: 'pipe',
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      SLS_TELEMETRY_DISABLED: '1',
    },
  });
  copyFileSync(join(ROOT, '.serverless/cloudformation-template-update-stack.json'), PACKAGED);
}

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is untyped JSON
export type Template = { Resources: Record<string, { Type: string; Properties: any }> };

/** The packaged template (stage dev, us-east-1); packages at most once per test run. */
export async function packagedTemplate(): Promise<Template> {
  mkdirSync(TEST_TMPDIR, { recursive: true });
  for (;;) {
    if (existsSync(PACKAGED)) return JSON.parse(readFileSync(PACKAGED, 'utf8')) as Template;
    try {
      mkdirSync(LOCK);
    } catch {
      await sleep(250);
      continue;
    }
    try {
      if (!existsSync(PACKAGED)) packageNow();
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
