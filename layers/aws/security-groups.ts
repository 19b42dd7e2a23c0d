/** EC2 networking adapter: the one security group a classroom needs, found again by name. */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { NotFoundError } from '../base/errors';
import type { Tags } from '../core/tags';
import type { FleetSecurityGroup } from '../core/teardown/fleet';
import { ec2Client } from './clients';
import { tagFilters, tagList } from './ec2-tags';

/** The VPC of a subnet; undefined means the default VPC, which EC2 uses when none is named. */
export async function vpcOf(
  region: string,
  subnetId: string | undefined,
): Promise<string | undefined> {
  if (!subnetId) return undefined;
  const output = await ec2Client(region).send(
    new DescribeSubnetsCommand({ SubnetIds: [subnetId] }),
  );
  const vpcId = output.Subnets?.[0]?.VpcId;
  if (!vpcId) throw new NotFoundError(`subnet ${subnetId} not found in ${region}`);
  return vpcId;
}

/**
 * A security group that opens only each rule's port, only to its CIDRs — or nothing at all
 * without `ingress` (builders: SSM needs no inbound rule). Idempotent: a retry finds the group by
 * name and tolerates rules that already exist (the rules go in one call, which EC2 applies whole
 * or not at all).
 */
export async function ensureSecurityGroup(
  region: string,
  request: {
    name: string;
    description: string;
    vpcId?: string;
    ingress?: { port: number; cidrs: string[]; description: string }[];
    tags: Tags;
  },
): Promise<string> {
  const client = ec2Client(region);
  let groupId: string | undefined;
  try {
    const created = await client.send(
      new CreateSecurityGroupCommand({
        GroupName: request.name,
        Description: request.description,
        VpcId: request.vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList(request.tags) }],
      }),
    );
    groupId = created.GroupId;
  } catch (error) {
    if ((error as Error).name !== 'InvalidGroup.Duplicate') throw error;
    const found = await client.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [request.name] },
          ...(request.vpcId ? [{ Name: 'vpc-id', Values: [request.vpcId] }] : []),
        ],
      }),
    );
    groupId = found.SecurityGroups?.[0]?.GroupId;
  }
  if (!groupId)
    throw new NotFoundError(`security group ${request.name} was neither created nor found`);
  const { ingress } = request;
  if (!ingress?.length) return groupId;
  const permissions = ingress.map(({ port, cidrs, description: Description }) => ({
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    IpRanges: cidrs.filter((c) => !c.includes(':')).map((CidrIp) => ({ CidrIp, Description })),
    Ipv6Ranges: cidrs.filter((c) => c.includes(':')).map((CidrIpv6) => ({ CidrIpv6, Description })),
  }));
  try {
    await client.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }),
    );
  } catch (error) {
    if ((error as Error).name !== 'InvalidPermission.Duplicate') throw error;
  }
  return groupId;
}

export async function securityGroupsByTag(region: string, tags: Tags): Promise<string[]> {
  const output = await ec2Client(region).send(
    new DescribeSecurityGroupsCommand({ Filters: tagFilters(tags) }),
  );
  return (output.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));
}

/** Deletes a security group; false while instances still use it (DependencyViolation). */
export async function deleteSecurityGroup(region: string, groupId: string): Promise<boolean> {
  try {
    await ec2Client(region).send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'DependencyViolation') return false;
    if ((error as Error).name === 'InvalidGroup.NotFound') return true;
    throw error;
  }
}

/** Security groups carrying all `tags`, with their names and tags, every page. */
export async function listSecurityGroupsByTag(
  region: string,
  tags: Tags,
): Promise<FleetSecurityGroup[]> {
  const found: FleetSecurityGroup[] = [];
  const pages = paginateDescribeSecurityGroups(
    { client: ec2Client(region), pageSize: 1000 },
    { Filters: tagFilters(tags) },
  );
  for await (const page of pages)
    for (const g of page.SecurityGroups ?? [])
      if (g.GroupId)
        found.push({
          groupId: g.GroupId,
          name: g.GroupName,
          tags: Object.fromEntries((g.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        });
  return found;
}
