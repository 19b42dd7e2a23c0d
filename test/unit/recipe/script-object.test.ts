import { describe, expect, it } from 'vitest';
import { RUN_COMMAND_PARAMETERS_MAX_BYTES } from '../../../layers/core/run-command';
import {
  fetchScriptCommand,
  SCRIPT_OBJECT_MAX_BYTES,
  scriptObjectKey,
  scriptTravel,
} from '../../../layers/core/script-object/script-object';

const script = (bytes: number) => `#!/usr/bin/env bash\n${'#'.repeat(bytes - 21)}\n`;

describe('scriptTravel', () => {
  it('keeps a script that fits one Run Command request in the command', () => {
    expect(scriptTravel(script(60_000), 'recipe', 'the script')).toBe('command');
  });

  it('sends a larger one as an object, up to the S3 bound', () => {
    expect(scriptTravel(script(RUN_COMMAND_PARAMETERS_MAX_BYTES), 'recipe', 'the script')).toBe(
      'object',
    );
    expect(scriptTravel(script(SCRIPT_OBJECT_MAX_BYTES), 'recipe', 'the script')).toBe('object');
  });

  it('refuses one over the bound, naming its size, the bound and why', () => {
    expect(() => scriptTravel(script(SCRIPT_OBJECT_MAX_BYTES + 1), 'recipe', 'the script')).toThrow(
      /the script is 114689 bytes; a script that travels through S3 is at most 114688 bytes, since the recipe that makes it travels twice in the bake's state/,
    );
  });
});

describe('fetchScriptCommand', () => {
  const key = scriptObjectKey('bake-1', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1');
  const command = fetchScriptCommand({
    region: 'us-east-1',
    bucket: 'bakehouse-dev-scripts-123456789012-us-east-1',
    key,
    sha256: 'ab'.repeat(32),
  });

  it('names the object under the bake and the builder, and checks its digest before running it', () => {
    expect(key).toBe('bakes/bake-1/arn:aws:ec2:us-east-1:123456789012:instance/i-1/build.sh');
    expect(command).toContain(`OBJECT_KEY='${key}'`);
    expect(command).toContain(`OBJECT_SHA256='${'ab'.repeat(32)}'`);
    expect(command).toContain('hmac.compare_digest(digest, expected)');
    expect(command.indexOf('fetch-script.py" "$OBJECT_REGION"')).toBeLessThan(
      command.indexOf('exec bash "$FETCH_DIR/build.sh"'),
    );
  });

  it('carries no credential: the instance signs with its own role', () => {
    expect(command).not.toMatch(/AKIA|X-Amz-Signature|X-Amz-Credential=/);
    expect(Buffer.byteLength(command)).toBeLessThan(8_000);
  });
});
