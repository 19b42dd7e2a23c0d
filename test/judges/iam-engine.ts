/**
 * The IAM policy engine (@cloud-copilot/iam-simulate, AGPL-3.0, tests only) deciding recorded
 * calls against the roles of the packaged dev template: used by the least-privilege judge on its
 * own scenarios and by every state-machine test file on the runs it made.
 */
import { type RunSimulationResults, runSimulation } from '@cloud-copilot/iam-simulate';
import type { Template } from '../packaging/packaged';
import { type Authorization, authorizationsOf } from './authorizations';
import { functionRoles, instanceProfileRoleArn, type Role } from './policies';
import { ACCOUNT, type Observed } from './scenarios';

/** The engine's answer for one authorization: `Allowed`, `ExplicitlyDenied` or `ImplicitlyDenied`. */
export async function decide(role: Role, a: Authorization): Promise<string> {
  const result: RunSimulationResults = await runSimulation(
    {
      identityPolicies: role.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.logicalId}/judge`,
        action: a.action,
        resource: { resource: a.resource, accountId: ACCOUNT },
        contextVariables: a.context,
      },
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`${a.action} on ${a.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

export interface FunctionCall {
  fn: string;
  authorization: Authorization;
}

/** Every authorization the functions' recorded requests needed (set-up calls, with no function, left out). */
export function callsOf(template: Template, observed: readonly Observed[]): FunctionCall[] {
  const accounts = {
    instanceProfileRole: (name: string) => instanceProfileRoleArn(template, name),
  };
  return observed
    .filter((o): o is Observed & { request: { function: string } } => o.request.function !== null)
    .flatMap((o) =>
      authorizationsOf(o, accounts).map((authorization) => ({
        fn: o.request.function,
        authorization,
      })),
    );
}

const keyOf = ({ fn, authorization: a }: FunctionCall) =>
  JSON.stringify([fn, a.action, a.resource, a.context]);

/** The distinct calls among `calls` that the calling function's role does not allow, one line each. */
export async function deniedCalls(template: Template, calls: readonly FunctionCall[]) {
  const byFunction = functionRoles(template);
  const distinct = [...new Map(calls.map((c) => [keyOf(c), c])).values()];
  const denied: string[] = [];
  for (const { fn, authorization: a } of distinct) {
    const role = byFunction.get(fn);
    if (!role) {
      denied.push(`${fn}: no role in the packaged template`);
      continue;
    }
    const decision = await decide(role, a);
    if (decision !== 'Allowed') denied.push(`${fn}: ${a.action} on ${a.resource} → ${decision}`);
  }
  return { distinct: distinct.length, denied };
}

const LOCAL_TO_DEV: [RegExp, string][] = [
  [/bakehouse-local/g, 'bakehouse-dev'],
  [/\/bakehouse\/local(?=\/|")/g, '/bakehouse/dev'],
  [/000000000000/g, ACCOUNT],
];

/**
 * A request of the local stage (stack bakehouse-local, account 000000000000) as the dev stage
 * would send it: the same names with the stage and the account swapped, so the packaged dev
 * template's roles can judge the local runs.
 */
export function asDevStage(observed: Observed): Observed {
  const swap = <T>(value: T): T => {
    let text = JSON.stringify(value);
    for (const [from, to] of LOCAL_TO_DEV) text = text.replace(from, to);
    return JSON.parse(text) as T;
  };
  return {
    ...observed,
    request: { ...observed.request, input: swap(observed.request.input) },
    tags: new Map([...observed.tags].map(([id, tags]) => [id, swap(tags)])),
  };
}
