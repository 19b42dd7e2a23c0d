/** The default VPC: one subnet per AZ, security groups and their rules, instance type offerings. */
import type {
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeInstanceTypeOfferingsRequest,
  DescribeInstanceTypeOfferingsResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  _InstanceType as InstanceTypeName,
  IpPermission,
  SecurityGroup,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { applyFilters, type FilterFields, paginate, required, tagsFor } from './ec2-filters';
import {
  type Ec2World,
  type SimRule,
  type SimSecurityGroup,
  type SimSubnet,
  tagList,
} from './ec2-model';
import { ec2Fault } from './errors';
import { allInstanceTypes } from './instance-types';
import { operation } from './transport';

const AZ_LETTERS = ['a', 'b', 'c', 'd'] as const;

/** Subnets in four AZs and the VPC's `default` group, as a new account has them. */
export function createDefaultVpc(world: Ec2World): void {
  AZ_LETTERS.forEach((letter, i) => {
    world.subnets.push({
      subnetId: world.newId('subnet'),
      az: `${world.region}${letter}`,
      azId: `${regionCode(world.region)}-az${i + 1}`,
      cidr: `172.31.${i * 16}.0/20`,
      vpcId: world.vpcId,
      tags: new Map(),
    });
  });
  const group = newGroup(world, 'default', 'default VPC security group', true);
  group.ingress.push({
    ruleId: world.newId('sgr'),
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    sourceGroupId: group.groupId,
  });
}

function regionCode(region: string): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area.slice(0, 2)}${direction[0] ?? ''}${number}`;
}

function newGroup(
  world: Ec2World,
  name: string,
  description: string,
  isDefault = false,
): SimSecurityGroup {
  const group: SimSecurityGroup = {
    groupId: world.newId('sg'),
    name,
    description,
    vpcId: world.vpcId,
    isDefault,
    tags: new Map(),
    ingress: [],
    egress: [],
  };
  group.egress.push({
    ruleId: world.newId('sgr'),
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    cidr: '0.0.0.0/0',
  });
  world.groups.set(group.groupId, group);
  return group;
}

export function defaultGroup(world: Ec2World): SimSecurityGroup {
  return [...world.groups.values()].find((g) => g.isDefault) as SimSecurityGroup;
}

export function findGroup(world: Ec2World, groupId?: string, groupName?: string): SimSecurityGroup {
  const group = groupId
    ? world.groups.get(groupId)
    : [...world.groups.values()].find((g) => g.name === groupName);
  if (!group) {
    throw ec2Fault(
      'InvalidGroup.NotFound',
      groupId
        ? `The security group '${groupId}' does not exist`
        : `The security group '${groupName}' does not exist in default VPC '${world.vpcId}'`,
    );
  }
  return group;
}

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

function rulesOf(world: Ec2World, permission: IpPermission): SimRule[] {
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
    const source = findGroup(world, pair.GroupId, pair.GroupName);
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

const sameRule = (a: SimRule, b: SimRule) =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.cidrV6 === b.cidrV6 &&
  a.sourceGroupId === b.sourceGroupId;

function ruleOutput(
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

function permissions(world: Ec2World, rules: SimRule[]): IpPermission[] {
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

function describeGroup(world: Ec2World, group: SimSecurityGroup): SecurityGroup {
  return {
    GroupId: group.groupId,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: world.account,
    IpPermissions: permissions(world, group.ingress),
    IpPermissionsEgress: permissions(world, group.egress),
    Tags: tagList(group.tags),
    SecurityGroupArn: `arn:aws:ec2:${world.region}:${world.account}:security-group/${group.groupId}`,
  };
}

const GROUP_FILTERS: FilterFields<SimSecurityGroup> = {
  'group-id': (g) => [g.groupId],
  'group-name': (g) => [g.name],
  'vpc-id': (g) => [g.vpcId],
  description: (g) => [g.description],
  'owner-id': () => [],
  'ip-permission.from-port': (g) => g.ingress.map((r) => String(r.fromPort)),
  'ip-permission.to-port': (g) => g.ingress.map((r) => String(r.toPort)),
  'ip-permission.cidr': (g) => g.ingress.map((r) => r.cidr),
};

const SUBNET_FILTERS: FilterFields<SimSubnet> = {
  'availability-zone': (s) => [s.az],
  'availability-zone-id': (s) => [s.azId],
  'subnet-id': (s) => [s.subnetId],
  'vpc-id': (s) => [s.vpcId],
  'cidr-block': (s) => [s.cidr],
  'default-for-az': () => ['true'],
  'map-public-ip-on-launch': () => ['true'],
  state: () => ['available'],
};

export function networkOperations(world: Ec2World) {
  return {
    DescribeSubnets: operation((input: DescribeSubnetsRequest): DescribeSubnetsResult => {
      const wanted = input.SubnetIds ?? [];
      const missing = wanted.filter((id) => !world.subnets.some((s) => s.subnetId === id));
      if (missing.length)
        throw ec2Fault(
          'InvalidSubnetID.NotFound',
          `The subnet ID '${missing.join(', ')}' does not exist`,
        );
      const chosen = wanted.length
        ? world.subnets.filter((s) => wanted.includes(s.subnetId))
        : world.subnets;
      const page = paginate(
        applyFilters(chosen, input.Filters, SUBNET_FILTERS, (s) => s.tags),
        input.MaxResults,
        input.NextToken,
      );
      return {
        Subnets: page.items.map((s) => ({
          SubnetId: s.subnetId,
          VpcId: s.vpcId,
          AvailabilityZone: s.az,
          AvailabilityZoneId: s.azId,
          CidrBlock: s.cidr,
          AvailableIpAddressCount: 4091,
          DefaultForAz: true,
          MapPublicIpOnLaunch: true,
          State: 'available',
          OwnerId: world.account,
          SubnetArn: `arn:aws:ec2:${world.region}:${world.account}:subnet/${s.subnetId}`,
          Tags: tagList(s.tags),
        })),
        NextToken: page.nextToken,
      };
    }),

    CreateSecurityGroup: operation(
      (input: CreateSecurityGroupRequest): CreateSecurityGroupResult => {
        const name = required(input.GroupName, 'GroupName');
        const description = required(input.Description, 'GroupDescription');
        if (name.length > 255 || description.length > 255) {
          throw ec2Fault(
            'InvalidParameterValue',
            'Group name and description are limited to 255 characters',
          );
        }
        if (/^sg-/i.test(name))
          throw ec2Fault('InvalidParameterValue', 'Group names may not be in the format sg-*.');
        if (input.VpcId && input.VpcId !== world.vpcId) {
          throw ec2Fault('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
        }
        if ([...world.groups.values()].some((g) => g.name === name)) {
          throw ec2Fault(
            'InvalidGroup.Duplicate',
            `The security group '${name}' already exists for VPC '${world.vpcId}'`,
          );
        }
        const tags = tagsFor(input.TagSpecifications, 'security-group', ['security-group']);
        const group = newGroup(world, name, description);
        group.tags = tags;
        world.events.record('EC2', `security group ${group.groupId} (${name}) created`);
        return {
          GroupId: group.groupId,
          Tags: tagList(tags),
          SecurityGroupArn: describeGroup(world, group).SecurityGroupArn,
        };
      },
    ),

    AuthorizeSecurityGroupIngress: operation(
      (input: AuthorizeSecurityGroupIngressRequest): AuthorizeSecurityGroupIngressResult => {
        required(input.GroupId ?? input.GroupName, 'GroupId');
        const group = findGroup(world, input.GroupId, input.GroupName);
        const asked: IpPermission[] = input.IpPermissions?.length
          ? input.IpPermissions
          : [
              {
                IpProtocol: input.IpProtocol,
                FromPort: input.FromPort,
                ToPort: input.ToPort,
                IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
              },
            ];
        const added = asked.flatMap((p) => rulesOf(world, p));
        const duplicate = added.find((rule) =>
          group.ingress.some((existing) => sameRule(existing, rule)),
        );
        if (duplicate) {
          throw ec2Fault(
            'InvalidPermission.Duplicate',
            `the specified rule "peer: ${duplicate.cidr ?? duplicate.cidrV6 ?? duplicate.sourceGroupId}, ${duplicate.protocol.toUpperCase()}, from port: ${duplicate.fromPort}, to port: ${duplicate.toPort}, ALLOW" already exists`,
          );
        }
        group.ingress.push(...added);
        world.events.record(
          'EC2',
          `ingress ${added.map((r) => `${r.protocol}/${r.fromPort}-${r.toPort}`).join(', ')} on ${group.groupId}`,
        );
        return {
          Return: true,
          SecurityGroupRules: added.map((r) => ruleOutput(world, group, r, false)),
        };
      },
    ),

    DeleteSecurityGroup: operation(
      (input: DeleteSecurityGroupRequest): DeleteSecurityGroupResult => {
        required(input.GroupId ?? input.GroupName, 'GroupId');
        const group = findGroup(world, input.GroupId, input.GroupName);
        if (group.isDefault) {
          throw ec2Fault(
            'CannotDelete',
            `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`,
          );
        }
        const now = world.now();
        const inUse = [...world.instances.values()].some(
          (i) => i.securityGroupIds.includes(group.groupId) && world.state(i, now) !== 'terminated',
        );
        const referenced = [...world.groups.values()].some(
          (g) => g !== group && g.ingress.some((r) => r.sourceGroupId === group.groupId),
        );
        if (inUse || referenced) {
          throw ec2Fault('DependencyViolation', `resource ${group.groupId} has a dependent object`);
        }
        world.groups.delete(group.groupId);
        world.events.record('EC2', `security group ${group.groupId} deleted`);
        return { Return: true, GroupId: group.groupId };
      },
    ),

    DescribeSecurityGroups: operation(
      (input: DescribeSecurityGroupsRequest): DescribeSecurityGroupsResult => {
        const byId = (input.GroupIds ?? []).map((id) => findGroup(world, id));
        const byName = (input.GroupNames ?? []).map((name) => findGroup(world, undefined, name));
        const chosen =
          byId.length || byName.length ? [...byId, ...byName] : [...world.groups.values()];
        const page = paginate(
          applyFilters(chosen, input.Filters, GROUP_FILTERS, (g) => g.tags),
          input.MaxResults,
          input.NextToken,
        );
        return {
          SecurityGroups: page.items.map((g) => describeGroup(world, g)),
          NextToken: page.nextToken,
        };
      },
    ),

    DescribeInstanceTypeOfferings: operation(
      (input: DescribeInstanceTypeOfferingsRequest): DescribeInstanceTypeOfferingsResult => {
        const type = input.LocationType ?? 'region';
        const locations =
          type === 'region'
            ? [world.region]
            : world.subnets.map((s) => (type === 'availability-zone' ? s.az : s.azId));
        const offerings = allInstanceTypes().flatMap((name) =>
          locations.map((Location) => ({
            InstanceType: name as InstanceTypeName,
            LocationType: type,
            Location,
          })),
        );
        const filtered = applyFilters(
          offerings,
          input.Filters,
          { 'instance-type': (o) => [o.InstanceType], location: (o) => [o.Location] },
          () => new Map(),
        );
        const page = paginate(filtered, input.MaxResults, input.NextToken);
        return { InstanceTypeOfferings: page.items, NextToken: page.nextToken };
      },
    ),
  };
}
