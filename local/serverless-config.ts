/**
 * Reads serverless.yml the way the deployment does, so the local runner routes each Task to the
 * function that serverless.yml names — never a hand-kept list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import * as yaml from 'js-yaml';

export const ROOT = join(import.meta.dirname, '..');

interface ServerlessYml {
  functions: Record<string, { handler: string }>;
  stepFunctions: { stateMachines: Record<string, { definition: string }> };
}

function serverlessYml(): ServerlessYml {
  return yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessYml;
}

export type Definition = StateMachineDefinition;
type State = Record<string, unknown> & { Type: string };

/** The definition file of a state machine named in serverless.yml, parsed. */
export function loadDefinition(machine: string): Definition {
  const entry = serverlessYml().stepFunctions.stateMachines[machine];
  const file = /^\$\{file\((.+)\)\}$/.exec(entry?.definition ?? '')?.[1];
  if (!file) throw new Error(`serverless.yml has no file definition for state machine ${machine}`);
  return yaml.load(readFileSync(join(ROOT, file), 'utf8')) as Definition;
}

/** The names of the state machines serverless.yml defines (`bake`, `classroom`). */
export function definedMachines(): string[] {
  return Object.keys(serverlessYml().stepFunctions.stateMachines);
}

/** Every state of a definition, including those inside Map and Parallel states. */
export function allStates(definition: { States: Record<string, unknown> }): [string, State][] {
  return Object.entries(definition.States).flatMap(([name, raw]) => {
    const state = raw as State;
    const nested = [
      state.ItemProcessor,
      state.Iterator,
      ...((state.Branches as unknown[]) ?? []),
    ].filter(Boolean);
    return [
      [name, state] as [string, State],
      ...nested.flatMap((d) => allStates(d as { States: Record<string, unknown> })),
    ];
  });
}

/** Task state name → `{ functionKey, module, exportName }` from `Fn::GetAtt: [fnKey, Arn]`. */
export function taskFunctions(definition: Definition) {
  const functions = serverlessYml().functions;
  return allStates(definition)
    .filter(([, state]) => state.Type === 'Task')
    .map(([stateName, state]) => {
      const ref = (state.Resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      const functionKey = ref?.[0];
      const handler = functionKey ? functions[functionKey]?.handler : undefined;
      if (!functionKey || !handler)
        throw new Error(`Task ${stateName} names no function of serverless.yml`);
      const dot = handler.lastIndexOf('.');
      return {
        stateName,
        functionKey,
        module: join(ROOT, `${handler.slice(0, dot)}.ts`),
        exportName: handler.slice(dot + 1),
      };
    });
}

/** The module and export of the function `functionKey` serverless.yml names; undefined for none. */
export function functionModule(functionKey: string) {
  const handler = serverlessYml().functions[functionKey]?.handler;
  if (!handler) return undefined;
  const dot = handler.lastIndexOf('.');
  return { module: join(ROOT, `${handler.slice(0, dot)}.ts`), exportName: handler.slice(dot + 1) };
}

/** The class store's table as serverless.yml declares it (`resources.Resources.ClassesTable`). */
export function classesTableDefinition() {
  const yml = serverlessYml() as unknown as {
    resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  };
  const table = yml.resources.Resources.ClassesTable;
  if (table?.Type !== 'AWS::DynamoDB::Table')
    throw new Error('serverless.yml declares no ClassesTable (AWS::DynamoDB::Table)');
  const { AttributeDefinitions, KeySchema, BillingMode } = table.Properties as {
    AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    BillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  };
  return { AttributeDefinitions, KeySchema, BillingMode };
}
