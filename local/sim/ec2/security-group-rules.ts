/** Security group rules: parsed from IpPermissions, shown back as AWS shows them, and applied. */
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { required } from './filters';
import type { Ec2World, SimRule, SimSecurityGroup } from './model';

type FindGroup = (groupId?: string, groupName?: string) => SimSecurityGroup;

/**
 * Would a TCP connection from the internet reach `port` on an instance with these groups? The
 * readiness probe runs in a Lambda outside the VPC, so only rules open to the world count.
 */
export function allowsFromInternet(world: Ec2World, groupIds: string[], port: number): boolean {
  return groupIds.some((id) =>
    world.groups
      .get(id)
      ?.ingress.some(
        (rule) =>
          (rule.protocol === 'tcp' || rule.protocol === '-1') &&
          (rule.protocol === '-1' || (rule.fromPort <= port && port <= rule.toPort)) &&
          (rule.cidr === '0.0.0.0/0' || rule.cidrV6 === '::/0'),
      ),
  );
}

const PROTOCOLS: Record<string, string> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  '-1': '-1',
  all: '-1',
};
const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function checkCidr(cidr: string): void {
  const m = CIDR_V4.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw ec2Fault('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
  }
}

export function rulesOf(
  world: Ec2World,
  permission: IpPermission,
  findGroup: FindGroup,
): SimRule[] {
  const protocol = PROTOCOLS[String(permission.IpProtocol ?? '').toLowerCase()];
  if (!protocol) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Invalid value '${permission.IpProtocol}' for IP protocol. Unknown protocol.`,
    );
  }
  let fromPort = -1;
  let toPort = -1;
  if (protocol === 'tcp' || protocol === 'udp') {
    fromPort = permission.FromPort ?? Number.NaN;
    toPort = permission.ToPort ?? Number.NaN;
    const valid = (p: number) => Number.isInteger(p) && p >= 0 && p <= 65535;
    if (!valid(fromPort) || !valid(toPort) || fromPort > toPort) {
      throw ec2Fault(
        'InvalidParameterValue',
        `Invalid TCP/UDP port range: ${permission.FromPort}-${permission.ToPort}`,
      );
    }
  }
  const base = { protocol, fromPort, toPort };
  const rules: SimRule[] = [];
  for (const range of permission.IpRanges ?? []) {
    checkCidr(required(range.CidrIp, 'CidrIp'));
    rules.push({
      ...base,
      ruleId: world.newId('sgr'),
      cidr: range.CidrIp,
      description: range.Description,
    });
  }
  for (const range of permission.Ipv6Ranges ?? []) {
    rules.push({
      ...base,
      ruleId: world.newId('sgr'),
      cidrV6: required(range.CidrIpv6, 'CidrIpv6'),
      description: range.Description,
    });
  }
  for (const pair of permission.UserIdGroupPairs ?? []) {
    const source = findGroup(pair.GroupId, pair.GroupName);
    rules.push({
      ...base,
      ruleId: world.newId('sgr'),
      sourceGroupId: source.groupId,
      description: pair.Description,
    });
  }
  if (rules.length === 0) {
    throw ec2Fault(
      'MissingParameter',
      'The request must contain the parameter ipPermissions.ipRanges or groups',
    );
  }
  return rules;
}

export const sameRule = (a: SimRule, b: SimRule) =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.cidrV6 === b.cidrV6 &&
  a.sourceGroupId === b.sourceGroupId;

export function ruleOutput(
  world: Ec2World,
  group: SimSecurityGroup,
  rule: SimRule,
  isEgress: boolean,
): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.groupId,
    GroupOwnerId: world.account,
    IsEgress: isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    CidrIpv4: rule.cidr,
    CidrIpv6: rule.cidrV6,
    ReferencedGroupInfo: rule.sourceGroupId
      ? { GroupId: rule.sourceGroupId, UserId: world.account }
      : undefined,
    Description: rule.description,
  };
}

export function permissions(world: Ec2World, rules: SimRule[]): IpPermission[] {
  const grouped = new Map<string, IpPermission>();
  for (const rule of rules) {
    const key = `${rule.protocol}:${rule.fromPort}:${rule.toPort}`;
    const permission = grouped.get(key) ?? {
      IpProtocol: rule.protocol,
      FromPort: rule.protocol === '-1' ? undefined : rule.fromPort,
      ToPort: rule.protocol === '-1' ? undefined : rule.toPort,
      IpRanges: [],
      Ipv6Ranges: [],
      UserIdGroupPairs: [],
      PrefixListIds: [],
    };
    if (rule.cidr) permission.IpRanges?.push({ CidrIp: rule.cidr, Description: rule.description });
    if (rule.cidrV6)
      permission.Ipv6Ranges?.push({ CidrIpv6: rule.cidrV6, Description: rule.description });
    if (rule.sourceGroupId) {
      permission.UserIdGroupPairs?.push({
        GroupId: rule.sourceGroupId,
        UserId: world.account,
        Description: rule.description,
      });
    }
    grouped.set(key, permission);
  }
  return [...grouped.values()];
}
