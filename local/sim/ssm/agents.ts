/** Which instances the SSM agent has registered, and DescribeInstanceInformation over them. */
import {
  type DescribeInstanceInformationRequest,
  type DescribeInstanceInformationResult,
  type InstanceInformation,
  InvalidFilterKey,
  InvalidInstanceInformationFilterValue,
  InvalidNextToken,
} from '@aws-sdk/client-ssm';
import type { Ec2World, SimInstance } from '../ec2/model';
import { fault, ssmFault } from '../kernel/errors';
import { operation } from '../kernel/transport';

/** When the agent first came Online, if it has by `now`. */
export function registeredAt(instance: SimInstance, now: number): number | undefined {
  const times = instance.phases.map((p) => p.agentAt ?? Infinity).filter((t) => t <= now);
  return times.length ? Math.min(...times) : undefined;
}

/**
 * Instances SSM of `region` (unset: the account's own) knows about now: its region's, registered
 * once and not terminated.
 */
export function managedInstances(world: Ec2World, now: number, region?: string): SimInstance[] {
  return [...world.instances.values()].filter(
    (i) =>
      world.seenFrom(i, region) &&
      registeredAt(i, now) !== undefined &&
      world.state(i, now) !== 'terminated',
  );
}

const FILTER_KEYS = new Set([
  'InstanceIds',
  'PingStatus',
  'PlatformTypes',
  'ResourceType',
  'AgentVersion',
]);

export function agentOperations(world: Ec2World) {
  function info(instance: SimInstance, now: number): InstanceInformation {
    const online = world.agentOnline(instance, now);
    const registered = registeredAt(instance, now) ?? now;
    return {
      InstanceId: instance.instanceId,
      PingStatus: online ? 'Online' : 'ConnectionLost',
      LastPingDateTime: new Date(online ? now : (world.phase(instance, now).at ?? now)),
      AgentVersion: '3.3.1142.0',
      IsLatestVersion: true,
      PlatformType: 'Linux',
      PlatformName: 'Ubuntu',
      PlatformVersion: '24.04',
      ResourceType: 'EC2Instance',
      IPAddress: instance.privateIp,
      ComputerName: `ip-${instance.privateIp.replaceAll('.', '-')}.ec2.internal`,
      RegistrationDate: new Date(registered),
      IamRole:
        instance.iamInstanceProfile?.Name ?? instance.iamInstanceProfile?.Arn?.split('/').at(-1),
      SourceId: instance.instanceId,
      SourceType: 'AWS::EC2::Instance',
    };
  }

  function matches(
    instance: SimInstance,
    info: InstanceInformation,
    key: string,
    values: string[],
  ): boolean {
    if (key.startsWith('tag:')) return values.includes(instance.tags.get(key.slice(4)) ?? '\0');
    if (key === 'tag-key') return values.some((v) => instance.tags.has(v));
    const field: Record<string, string | undefined> = {
      InstanceIds: info.InstanceId,
      PingStatus: info.PingStatus,
      PlatformTypes: info.PlatformType,
      ResourceType: info.ResourceType,
      AgentVersion: info.AgentVersion,
    };
    return values.includes(field[key] ?? '\0');
  }

  return {
    DescribeInstanceInformation: operation(
      (
        input: DescribeInstanceInformationRequest,
        { region },
      ): DescribeInstanceInformationResult => {
        const now = world.now();
        const filters = [
          ...(input.Filters ?? []).map((f) => ({ key: f.Key ?? '', values: f.Values ?? [] })),
          ...(input.InstanceInformationFilterList ?? []).map((f) => ({
            key: f.key ?? '',
            values: f.valueSet ?? [],
          })),
        ];
        for (const { key, values } of filters) {
          if (!FILTER_KEYS.has(key) && !key.startsWith('tag:') && key !== 'tag-key') {
            throw fault(InvalidFilterKey, `The filter key ${key} is not valid.`);
          }
          if (values.length === 0)
            throw fault(
              InvalidInstanceInformationFilterValue,
              `The filter value for ${key} is empty.`,
            );
        }
        const max = input.MaxResults ?? 50;
        if (max < 5 || max > 50) {
          throw ssmFault(
            'ValidationException',
            `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`,
          );
        }
        const all = managedInstances(world, now, region)
          .map((instance) => ({ instance, info: info(instance, now) }))
          .filter(({ instance, info }) =>
            filters.every((f) => matches(instance, info, f.key, f.values)),
          );
        const offset = input.NextToken
          ? Number.parseInt(Buffer.from(input.NextToken, 'base64').toString(), 10)
          : 0;
        if (!Number.isInteger(offset) || offset < 0)
          throw fault(InvalidNextToken, 'The specified token is not valid.');
        return {
          InstanceInformationList: all.slice(offset, offset + max).map((r) => r.info),
          NextToken:
            offset + max < all.length
              ? Buffer.from(String(offset + max)).toString('base64')
              : undefined,
        };
      },
    ),
  };
}
