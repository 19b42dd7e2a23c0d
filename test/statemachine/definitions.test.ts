import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { allStates, loadDefinition, taskFunctions } from '../../local/serverless-config';

const validate = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (sep: string) => string;
};

const MACHINES = ['bake', 'classroom'];

/** asl-validator takes any object as Resource: give it a real-looking Lambda ARN instead. */
function withArns(definition: unknown): unknown {
  return JSON.parse(JSON.stringify(definition), (_key, value) =>
    value && typeof value === 'object' && 'Fn::GetAtt' in value
      ? `arn:aws:lambda:us-east-1:123456789012:function:bakehouse-dev-${value['Fn::GetAtt'][0]}`
      : value,
  );
}

describe.each(MACHINES)('the %s state machine definition', (machine) => {
  const definition = loadDefinition(machine);
  const states = allStates(definition);

  it('is valid Amazon States Language', () => {
    const result = validate(withArns(definition));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is JSONPath only: JSONata and Assign are not run by the local runner', () => {
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/"QueryLanguage"|"Assign"|\{%/);
  });

  it.each(states.filter(([, s]) => s.Type === 'Task').map(([name, s]) => [name, s] as const))(
    'task %s has a timeout and a retry list from specific errors to the general case',
    (_name, state) => {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      const retry = state.Retry as {
        ErrorEquals: string[];
        BackoffRate?: number;
        MaxAttempts?: number;
      }[];
      expect(retry.length).toBeGreaterThan(0);
      expect(retry.at(-1)?.ErrorEquals).toEqual(['States.ALL']);
      for (const r of retry.filter((r) => r.MaxAttempts !== 0))
        expect(r.BackoffRate).toBeGreaterThanOrEqual(1);
    },
  );

  it('catches every failure of a top-level task or map, so nothing launched is left behind', () => {
    const topLevel = Object.entries(
      definition.States as Record<string, { Type: string; Catch?: unknown[] }>,
    );
    for (const [name, state] of topLevel.filter(([, s]) => s.Type === 'Task' || s.Type === 'Map')) {
      expect(state.Catch?.length, name).toBeGreaterThan(0);
    }
  });

  it('routes every task to a function serverless.yml declares', () => {
    expect(() => taskFunctions(definition)).not.toThrow();
  });
});
