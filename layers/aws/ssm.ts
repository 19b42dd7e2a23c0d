/** SSM adapter: public parameters, agent registration, Run Command, SecureString parameters. */
import {
  DeleteParametersCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  GetParametersCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  PutParameterCommand,
  paginateGetParametersByPath,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { NotFoundError } from '../base/errors';
import { ssmClient } from './clients';

/** The AMI id behind a public parameter such as `/aws/service/debian/release/12/latest/amd64`. */
export async function resolvePublicParameter(region: string, name: string): Promise<string> {
  const output = await ssmClient(region).send(new GetParameterCommand({ Name: name }));
  return output.Parameter?.Value ?? '';
}

/** Which of `instanceIds` have an SSM agent that is registered and Online. */
export async function onlineAgents(region: string, instanceIds: string[]): Promise<Set<string>> {
  const online = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await ssmClient(region).send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: instanceIds }],
        MaxResults: 50,
        NextToken,
      }),
    );
    for (const info of page.InstanceInformationList ?? []) {
      if (info.PingStatus === 'Online' && info.InstanceId) online.add(info.InstanceId);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return online;
}

/**
 * Run a shell script as root on up to 50 instances through AWS-RunShellScript. The script text is
 * the whole command: it carries no secrets (see the seat script), so the command's parameters are
 * safe to show in the console.
 */
export async function sendScript(
  region: string,
  request: { instanceIds: string[]; script: string; timeoutSeconds: number; comment: string },
): Promise<string> {
  const output = await ssmClient(region).send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: request.instanceIds,
      Comment: request.comment.slice(0, 100),
      TimeoutSeconds: 600,
      Parameters: {
        commands: [request.script],
        executionTimeout: [String(request.timeoutSeconds)],
      },
    }),
  );
  return output.Command?.CommandId ?? '';
}

/**
 * `sendScript` at most once per instance and comment: a retry (after a lost response) finds the
 * command it already sent — by its comment, among the instance's AWS-RunShellScript commands
 * (ListCommands) — instead of running the script a second time. The comment must name what is
 * sent (the bake, the test) so that it is unique to one send.
 */
export async function sendScriptOnce(
  region: string,
  request: { instanceId: string; script: string; timeoutSeconds: number; comment: string },
): Promise<string> {
  const comment = request.comment.slice(0, 100);
  let NextToken: string | undefined;
  do {
    const page = await ssmClient(region).send(
      new ListCommandsCommand({
        InstanceId: request.instanceId,
        Filters: [{ key: 'DocumentName', value: 'AWS-RunShellScript' }],
        NextToken,
      }),
    );
    const sent = page.Commands?.find((c) => c.Comment === comment && c.CommandId);
    if (sent?.CommandId) return sent.CommandId;
    NextToken = page.NextToken;
  } while (NextToken);
  return sendScript(region, { ...request, instanceIds: [request.instanceId], comment });
}

export type InvocationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Success'
  | 'Cancelled'
  | 'TimedOut'
  | 'Failed'
  | 'Cancelling'
  | 'Undeliverable'
  | 'Terminated'
  | 'InvalidPlatform'
  | 'AccessDenied';

export interface Invocation {
  instanceId: string;
  status: InvocationStatus;
  responseCode?: number;
  stdout: string;
  stderr: string;
}

/**
 * One instance's invocation; `undefined` while SSM has not registered it yet (or when the
 * command was not sent to the instance: InvocationDoesNotExist either way). A command id SSM does
 * not know (InvalidCommandId) is a NotFoundError: polling it again cannot help.
 */
export async function getInvocation(
  region: string,
  commandId: string,
  instanceId: string,
): Promise<Invocation | undefined> {
  try {
    const output = await ssmClient(region).send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
    );
    return {
      instanceId,
      status: (output.Status ?? 'Pending') as InvocationStatus,
      responseCode: output.ResponseCode,
      stdout: output.StandardOutputContent ?? '',
      stderr: output.StandardErrorContent ?? '',
    };
  } catch (error) {
    if ((error as Error).name === 'InvocationDoesNotExist') return undefined;
    if ((error as Error).name === 'InvalidCommandId')
      throw new NotFoundError(`command ${commandId} not found in ${region}`, { cause: error });
    throw error;
  }
}

/** Every instance's invocation of one command, in one paginated call (not one call per seat). */
export async function listInvocations(region: string, commandId: string): Promise<Invocation[]> {
  const found: Invocation[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ssmClient(region).send(
      new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, NextToken }),
    );
    for (const invocation of page.CommandInvocations ?? []) {
      const plugin = invocation.CommandPlugins?.[0];
      found.push({
        instanceId: invocation.InstanceId ?? '',
        status: (invocation.Status ?? 'Pending') as InvocationStatus,
        responseCode: plugin?.ResponseCode,
        stdout: plugin?.Output ?? '',
        stderr: '',
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

export async function putSecureParameter(
  region: string,
  name: string,
  value: string,
  description: string,
): Promise<void> {
  await ssmClient(region).send(
    new PutParameterCommand({
      Name: name,
      Value: value,
      Type: 'SecureString',
      Overwrite: true,
      Description: description,
    }),
  );
}

export async function getSecureParameter(region: string, name: string): Promise<string> {
  const output = await ssmClient(region).send(
    new GetParameterCommand({ Name: name, WithDecryption: true }),
  );
  return output.Parameter?.Value ?? '';
}

/**
 * A SecureString that is created once: read it, or — the first time — store `fresh()` without
 * overwriting, so two callers racing to create it both end up with the one that was stored.
 */
export async function ensureSecureParameter(
  region: string,
  name: string,
  fresh: () => string,
  description: string,
): Promise<string> {
  try {
    return await getSecureParameter(region, name);
  } catch (error) {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
  }
  try {
    await ssmClient(region).send(
      new PutParameterCommand({
        Name: name,
        Value: fresh(),
        Type: 'SecureString',
        Overwrite: false,
        Description: description,
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ParameterAlreadyExists') throw error;
  }
  return getSecureParameter(region, name);
}

/** Every parameter name under `path` (recursively). */
export async function parameterNamesUnder(region: string, path: string): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateGetParametersByPath(
    { client: ssmClient(region) },
    { Path: path, Recursive: true },
  );
  for await (const page of pages)
    for (const p of page.Parameters ?? []) if (p.Name) names.push(p.Name);
  return names;
}

export async function deleteParameters(region: string, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 10) {
    await ssmClient(region).send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
  }
}

/**
 * The SecureStrings with these names, decrypted: name → value, ten names a call (the API's
 * limit). Only ever held in memory.
 */
export async function secureParameters(
  region: string,
  names: string[],
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (let i = 0; i < names.length; i += 10) {
    const output = await ssmClient(region).send(
      new GetParametersCommand({ Names: names.slice(i, i + 10), WithDecryption: true }),
    );
    for (const p of output.Parameters ?? []) if (p.Name && p.Value) values.set(p.Name, p.Value);
  }
  return values;
}
