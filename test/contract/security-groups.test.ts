/**
 * The security group adapter against moto: the class group PrepareNetwork makes, the builders'
 * group with no inbound rule, retries that find the group again, lookup by tag and deletion.
 * What moto does not model is listed in ./moto.ts.
 */
import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { expect, it } from 'vitest';
import {
  deleteSecurityGroup,
  ensureSecurityGroup,
  securityGroupsByTag,
  vpcOf,
} from '../../layers/aws/security-groups';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { builderSecurityGroupName } from '../../layers/core/bake';
import { classTags, securityGroupName } from '../../layers/core/classroom/plan/class-names';
import type { ClassPlan } from '../../layers/core/classroom/plan/class-plan';
import { classIngress } from '../../layers/core/classroom/plan/ingress';
import { TAG } from '../../layers/core/tags';
import { BASE_IMAGE_PARAMETER, contractClass, STACK } from './fixtures';
import { describeOnMoto, REGION, unique } from './moto';

const ec2 = () => new EC2Client({ region: REGION });

async function group(groupId: string): Promise<SecurityGroup> {
  const output = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const found = output.SecurityGroups?.[0];
  if (!found) throw new Error(`moto does not know ${groupId}`);
  return found;
}

/** The group PrepareNetwork asks for. */
async function prepareNetwork(plan: ClassPlan) {
  return ensureSecurityGroup(REGION, {
    name: securityGroupName(plan),
    description: `bakehouse class ${plan.name}: Jupyter on ${plan.port} only`,
    vpcId: await vpcOf(REGION, plan.subnets[0]),
    ingress: classIngress(plan),
    tags: classTags(plan, 'security-group'),
  });
}

async function defaultSubnet() {
  const output = await ec2().send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  const [subnet] = output.Subnets ?? [];
  if (!subnet?.SubnetId) throw new Error('moto has no default subnet');
  return subnet;
}

describeOnMoto('security group adapter on moto', () => {
  it("a class security group opens only the Jupyter port, to the allowed CIDRs, in the subnet's VPC", async () => {
    // Prepare
    const subnet = await defaultSubnet();
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const { plan } = await contractClass(imageId, {
      subnetId: subnet.SubnetId,
      allowedCidrs: ['203.0.113.7/24', '198.51.100.0/25', '2001:DB8::1/32'],
    });

    // Act
    const groupId = await prepareNetwork(plan);

    // Assess
    const described = await group(groupId);
    expect(described.GroupName).toBe(securityGroupName(plan));
    expect(described.VpcId).toBe(subnet.VpcId);
    expect(described.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: plan.port,
        ToPort: plan.port,
        IpRanges: [
          { CidrIp: '203.0.113.0/24', Description: 'Jupyter' },
          { CidrIp: '198.51.100.0/25', Description: 'Jupyter' },
        ],
        Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32', Description: 'Jupyter' }],
      }),
    ]);
    expect(described.IpPermissions?.some((p) => p.FromPort === 22)).toBe(false);
    expect(Object.fromEntries((described.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual(
      classTags(plan, 'security-group'),
    );
  });

  it('a class with TLS opens 443 to the allowed CIDRs and 80 to everyone, never Jupyter or 22', async () => {
    // Prepare
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const { plan } = await contractClass(imageId, { tls: { mode: 'acme' } });

    // Act
    const described = await group(await prepareNetwork(plan));

    // Assess
    const rules = (described.IpPermissions ?? []).map((p) => ({
      port: p.FromPort,
      to: p.ToPort,
      cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp),
    }));
    expect(rules.sort((a, b) => (a.port ?? 0) - (b.port ?? 0))).toEqual([
      { port: 80, to: 80, cidrs: ['0.0.0.0/0'] },
      { port: 443, to: 443, cidrs: ['203.0.113.0/24'] },
    ]);
  });

  it('a retried PrepareNetwork finds the same group and keeps a single rule', async () => {
    // Prepare
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const { plan } = await contractClass(imageId);
    const first = await prepareNetwork(plan);

    // Act
    const second = await prepareNetwork(plan);

    // Assess
    expect(second).toBe(first);
    const described = await group(first);
    expect(described.IpPermissions).toHaveLength(1);
    expect(described.IpPermissions?.[0]?.IpRanges).toEqual([
      { CidrIp: '203.0.113.0/24', Description: 'Jupyter' },
    ]);
    const named = await ec2().send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [securityGroupName(plan)] }],
      }),
    );
    expect(named.SecurityGroups?.map((g) => g.GroupId)).toEqual([first]);
  });

  it('the builders group has no inbound rule at all and sits in the default VPC when no subnet is named', async () => {
    // Prepare
    const stackName = unique(STACK);
    const vpcs = await ec2().send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );

    // Act
    const vpcId = await vpcOf(REGION, undefined);
    const groupId = await ensureSecurityGroup(REGION, {
      name: builderSecurityGroupName(stackName),
      description: 'bakehouse builders: no inbound rule, configured through SSM only',
      vpcId,
      tags: { [TAG.stack]: stackName, [TAG.kind]: 'security-group' },
    });

    // Assess
    expect(vpcId).toBeUndefined();
    const described = await group(groupId);
    expect(described.IpPermissions).toEqual([]);
    expect(described.VpcId).toBe(vpcs.Vpcs?.[0]?.VpcId);
  });

  it('finds groups by all of their tags and deletes them; a group already gone counts as deleted', async () => {
    // Prepare
    const stackName = unique(STACK);
    const tags = { [TAG.stack]: stackName, [TAG.kind]: 'security-group' };
    const groupId = await ensureSecurityGroup(REGION, {
      name: builderSecurityGroupName(stackName),
      description: 'to delete',
      tags,
    });
    await ensureSecurityGroup(REGION, {
      name: unique('other'),
      description: 'same stack, other kind',
      tags: { [TAG.stack]: stackName, [TAG.kind]: 'other' },
    });

    // Act
    const found = await securityGroupsByTag(REGION, tags);
    const deleted = await deleteSecurityGroup(REGION, groupId);
    const deletedAgain = await deleteSecurityGroup(REGION, groupId);

    // Assess
    expect(found).toEqual([groupId]);
    expect(deleted).toBe(true);
    expect(deletedAgain).toBe(true);
    await expect(
      ec2().send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
    ).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
    expect(await securityGroupsByTag(REGION, tags)).toEqual([]);
  });
});
