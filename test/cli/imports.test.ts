// The command shares the API's schemas, not its internals: nothing of bin/ imports a handler,
// an adapter, the runtime or an SDK client (the signer and credential chain excepted, and the
// CloudFormation adapter that reads the deployed stack's API URL).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../local/serverless-config';
import { importsOf } from '../architecture/layering';

/** The one adapter the command uses: the endpoint from the deployed stack's outputs. */
const ENDPOINT_LOOKUP = '../layers/aws/cloudformation';

const SIGNING = new Set([
  '@smithy/signature-v4',
  '@aws-sdk/credential-provider-node',
  '@smithy/types',
]);

describe('the bakehouse command', () => {
  it('imports no handler, adapter, runtime module or SDK client', () => {
    const files = readdirSync(join(ROOT, 'bin')).filter((f) => f.endsWith('.ts'));
    const found = files.flatMap((file) =>
      importsOf(file, readFileSync(join(ROOT, 'bin', file), 'utf8')).map((i) => i.specifier),
    );

    expect(found.length).toBeGreaterThan(5);
    const forbidden = found.filter(
      (s) =>
        (s !== ENDPOINT_LOOKUP && /^\.\.\/(functions|layers\/aws|layers\/runtime)\//.test(s)) ||
        (/^@(aws-sdk|smithy)\//.test(s) && !SIGNING.has(s)),
    );
    expect(forbidden).toEqual([]);
  });
});
