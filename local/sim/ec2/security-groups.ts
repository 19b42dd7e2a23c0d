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

export function createGroup(
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
  const find = (groupId?: string, groupName?: string) => findGroup(world, groupId, groupName);
  return {
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
        const group = createGroup(world, name, description);
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
        const added = asked.flatMap((p) => rulesOf(world, p, find));
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
  };
}
