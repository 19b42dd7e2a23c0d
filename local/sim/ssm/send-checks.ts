/** What SendCommand checks before anything runs: the document, its parameters, the targets. */
import {
  InvalidDocument,
  InvalidInstanceId,
  InvalidParameters,
  MaxDocumentSizeExceeded,
  type SendCommandRequest,
} from '@aws-sdk/client-ssm';
import {
  parametersBytes,
  RUN_COMMAND_PARAMETERS_MAX_BYTES,
} from '../../../layers/core/run-command';
import type { Ec2World } from '../ec2/model';
import { fault, ssmFault } from '../kernel/errors';
import { UnsimulatedOperationError } from '../kernel/transport';
import { managedInstances } from './agents';

export interface ShellCommand {
  documentName: 'AWS-RunShellScript';
  parameters: Record<string, string[]>;
  script: string;
  timeoutSeconds: number;
}

const PARAMETERS = ['commands', 'workingDirectory', 'executionTimeout'];

export function shellCommand(input: SendCommandRequest): ShellCommand {
  if (!input.DocumentName) {
    throw ssmFault(
      'ValidationException',
      "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null",
    );
  }
  if (input.DocumentName !== 'AWS-RunShellScript') {
    throw fault(
      InvalidDocument,
      `Document with name ${input.DocumentName} does not exist or is not simulated.`,
    );
  }
  const parameters = input.Parameters ?? {};
  const unknown = Object.keys(parameters).filter((k) => !PARAMETERS.includes(k));
  if (unknown.length) {
    throw fault(
      InvalidParameters,
      `Parameters [${unknown.join(', ')}] are not valid for document AWS-RunShellScript.`,
    );
  }
  if (parametersBytes(parameters) > RUN_COMMAND_PARAMETERS_MAX_BYTES) {
    throw fault(
      MaxDocumentSizeExceeded,
      'The content of the document, including its parameters, must not exceed 64 KB.',
    );
  }
  const commands = parameters.commands ?? [];
  if (commands.length === 0) throw fault(InvalidParameters, 'Parameter "commands" is required.');
  const timeoutSeconds = Number(parameters.executionTimeout?.[0] ?? '3600');
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 172800) {
    throw fault(
      InvalidParameters,
      `Parameter "executionTimeout" has an invalid value: ${parameters.executionTimeout?.[0]}`,
    );
  }
  return {
    documentName: input.DocumentName,
    parameters,
    script: commands.join('\n'),
    timeoutSeconds,
  };
}

/**
 * The instances a command goes to: up to 50 named ones, each Online (else InvalidInstanceId),
 * or the Online managed instances its Targets select (by instance id, tag or tag key).
 */
/** The instances a command goes to: only SSM's own region's (`region`, unset: the account's). */
export function targetInstances(
  world: Ec2World,
  input: SendCommandRequest,
  now: number,
  region?: string,
): string[] {
  if (input.InstanceIds?.length && input.Targets?.length) {
    throw ssmFault('ValidationException', 'Specify either InstanceIds or Targets, not both.');
  }
  if (input.InstanceIds?.length) {
    if (input.InstanceIds.length > 50) {
      throw ssmFault(
        'ValidationException',
        `1 validation error detected: Value '[${input.InstanceIds.join(', ')}]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50`,
      );
    }
    const offline = input.InstanceIds.filter((id) => {
      const instance = world.instances.get(id);
      return !instance || !world.seenFrom(instance, region) || !world.agentOnline(instance, now);
    });
    if (offline.length) {
      throw fault(
        InvalidInstanceId,
        `Instances [[${offline.join(', ')}]] not in a valid state for account ${world.account}`,
      );
    }
    return [...new Set(input.InstanceIds)];
  }
  const targets = input.Targets ?? [];
  if (targets.length === 0)
    throw ssmFault('ValidationException', 'Either InstanceIds or Targets must be specified.');
  if (targets.length > 5)
    throw ssmFault('ValidationException', 'Targets can contain at most 5 entries.');
  let chosen = managedInstances(world, now, region).filter((i) => world.agentOnline(i, now));
  for (const { Key = '', Values = [] } of targets) {
    if (Key === 'InstanceIds') chosen = chosen.filter((i) => Values.includes(i.instanceId));
    else if (Key.startsWith('tag:'))
      chosen = chosen.filter((i) => Values.includes(i.tags.get(Key.slice(4)) ?? '\0'));
    else if (Key === 'tag-key') chosen = chosen.filter((i) => Values.some((v) => i.tags.has(v)));
    else throw new UnsimulatedOperationError(`SendCommand target key ${Key} is not simulated`);
  }
  return chosen.map((i) => i.instanceId);
}
