/** Security groups of the default VPC: create, authorize ingress, describe, delete. */
import type {
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  IpPermission,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import { applyFilters, type FilterFields, paginate, required, tagsFor } from './filters';
import { type Ec2World, type SimSecurityGroup, tagList } from './model';
import { permissions, ruleOutput, rulesOf, sameRule } from './security-group-rules';
import { defaultVpc } from './vpc';

export function createGroup(
  world: Ec2World,
  name: string,
  description: string,
  isDefault: boolean,
  vpcId: string,
): SimSecurityGroup {
  const group: SimSecurityGroup = {
    groupId: world.newId('sg'),
    name,
    description,
    vpcId,
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

/** The `default` group of the default VPC of `region` (unset: the account's own). */
export function defaultGroup(world: Ec2World, region?: string): SimSecurityGroup {
  const vpcId = defaultVpc(world, region);
  return [...world.groups.values()].find(
    (g) => g.isDefault && g.vpcId === vpcId,
  ) as SimSecurityGroup;
}

/** The groups a client of `region` (unset: the account's own) sees: its region's. */
export const groupsIn = (world: Ec2World, region?: string) =>
  [...world.groups.values()].filter((g) => world.seenFrom(g, region));

export function findGroup(
  world: Ec2World,
  groupId?: string,
  groupName?: string,
  region?: string,
): SimSecurityGroup {
  const group = groupsIn(world, region).find((g) =>
    groupId ? g.groupId === groupId : g.name === groupName,
  );
  if (!group) {
    throw ec2Fault(
      'InvalidGroup.NotFound',
      groupId
        ? `The security group '${groupId}' does not exist`
        : `The security group '${groupName}' does not exist in default VPC '${defaultVpc(world, region)}'`,
    );
  }
  return group;
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

export function securityGroupOperations(world: Ec2World) {
  return {
    CreateSecurityGroup: operation(
      (input: CreateSecurityGroupRequest, { region }): CreateSecurityGroupResult => {
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
        const vpcId = defaultVpc(world, region);
        if (input.VpcId && input.VpcId !== vpcId) {
          throw ec2Fault('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
        }
        if (groupsIn(world, region).some((g) => g.name === name)) {
          throw ec2Fault(
            'InvalidGroup.Duplicate',
            `The security group '${name}' already exists for VPC '${vpcId}'`,
          );
        }
        const tags = tagsFor(input.TagSpecifications, 'security-group', ['security-group']);
        const group = createGroup(world, name, description, false, vpcId);
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
      (
        input: AuthorizeSecurityGroupIngressRequest,
        { region },
      ): AuthorizeSecurityGroupIngressResult => {
        required(input.GroupId ?? input.GroupName, 'GroupId');
        const group = findGroup(world, input.GroupId, input.GroupName, region);
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
        const added = asked.flatMap((p) =>
          rulesOf(world, p, (id, name) => findGroup(world, id, name, region)),
        );
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
      (input: DeleteSecurityGroupRequest, { region }): DeleteSecurityGroupResult => {
        required(input.GroupId ?? input.GroupName, 'GroupId');
        const group = findGroup(world, input.GroupId, input.GroupName, region);
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
      (input: DescribeSecurityGroupsRequest, { region }): DescribeSecurityGroupsResult => {
        const byId = (input.GroupIds ?? []).map((id) => findGroup(world, id, undefined, region));
        const byName = (input.GroupNames ?? []).map((name) =>
          findGroup(world, undefined, name, region),
        );
        const chosen =
          byId.length || byName.length ? [...byId, ...byName] : groupsIn(world, region);
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
  };
}
