import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../local/serverless-config';
import { packagedTemplate } from './packaged';

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is untyped JSON
type Resource = { Type: string; Properties: Record<string, any> };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

let resources: Record<string, Resource>;

beforeAll(async () => {
  resources = (await packagedTemplate()).Resources;
}, 240_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const actions = (s: Statement) => [s.Action].flat();

describe('serverless package', () => {
  it('contains the bake state machine with its real definition', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    const bake = machines.find(([id]) => id === 'BakeStateMachine')?.[1];
    expect(bake).toBeDefined();
    const definition = JSON.stringify(bake?.Properties.DefinitionString);
    for (const state of [
      'ValidateRecipe',
      'LaunchBuilder',
      'CheckAgent',
      'CreateImage',
      'CleanUp',
    ]) {
      expect(definition).toContain(state);
    }
  });

  it('puts every function on nodejs22.x for arm64', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(10);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('writes one bundle per function', () => {
    for (const [id] of ofType('AWS::Lambda::Function')) {
      const name = id.replace(/LambdaFunction$/, '');
      const zip = join(ROOT, '.serverless', `${name.charAt(0).toLowerCase()}${name.slice(1)}.zip`);
      expect(statSync(zip).size).toBeGreaterThan(1000);
    }
  });

  it('never lets the functions terminate, stop or image an untagged instance', () => {
    const statements = ofType('AWS::IAM::Role').flatMap(([, role]) =>
      (role.Properties.Policies ?? []).flatMap(
        (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
      ),
    );
    const dangerous = statements.filter((s) =>
      actions(s).some((a) =>
        ['ec2:TerminateInstances', 'ec2:StopInstances', 'ec2:*', '*'].includes(a),
      ),
    );
    expect(dangerous.length).toBeGreaterThan(0);
    for (const statement of dangerous) {
      expect(statement.Condition?.StringEquals?.['ec2:ResourceTag/bakehouse:stack']).toBe(
        'bakehouse-dev',
      );
    }
  });

  it('never grants SendCommand on instances outside the stack', () => {
    const statements = ofType('AWS::IAM::Role').flatMap(([, role]) =>
      (role.Properties.Policies ?? []).flatMap(
        (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
      ),
    );
    const onInstances = statements.filter(
      (s) =>
        actions(s).includes('ssm:SendCommand') && JSON.stringify(s.Resource).includes(':instance/'),
    );
    expect(onInstances.length).toBeGreaterThan(0);
    for (const s of onInstances)
      expect(s.Condition?.StringEquals?.['ssm:resourceTag/bakehouse:stack']).toBe('bakehouse-dev');
  });

  it('bundles the scripts that run on instances as their text', () => {
    const seat = bundleText('advanceSeats');
    const bake = bundleText('runBuildScript');
    for (const line of ['readonly UNIT=bakehouse-jupyter.service', 'class DigestIdentityProvider'])
      expect(seat).toContain(line);
    expect(bake).toContain('apt_get install --no-install-recommends');
  });
});

/** The JavaScript of a function's bundle (each zip holds one file), read with Python's zipfile. */
function bundleText(fn: string): string {
  const read =
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read(z.namelist()[0]).decode())';
  return execFileSync('python3', ['-c', read, join(ROOT, `.serverless/${fn}.zip`)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}
