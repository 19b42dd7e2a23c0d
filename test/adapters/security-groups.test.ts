import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteSecurityGroup, ensureSecurityGroup, vpcOf } from '../../layers/aws/security-groups';

const ec2 = mockClient(EC2Client);
const failure = (name: string) =>
  new EC2ServiceException({ name, $fault: 'client', $metadata: {}, message: name });

beforeEach(() => {
  ec2.reset();
});

const group = {
  name: 'bakehouse-c1',
  description: 'd',
  ingress: [{ port: 8888, cidrs: ['192.0.2.0/24', '2001:db8::/32'], description: 'Jupyter' }],
  tags: { k: 'v' },
};

describe('ensureSecurityGroup', () => {
  it('opens only the Jupyter port, to IPv4 and IPv6 ranges, on a tagged group', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-1' });

    expect(await ensureSecurityGroup('us-east-1', group)).toBe('sg-1');

    expect(ec2).toHaveReceivedCommandWith(CreateSecurityGroupCommand, {
      GroupName: 'bakehouse-c1',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'k', Value: 'v' }] }],
    });
    expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, {
      GroupId: 'sg-1',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 8888,
          ToPort: 8888,
          IpRanges: [{ CidrIp: '192.0.2.0/24', Description: 'Jupyter' }],
          Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32', Description: 'Jupyter' }],
        },
      ],
    });
  });

  it('finds the group a first attempt created and tolerates its existing rule', async () => {
    ec2.on(CreateSecurityGroupCommand).rejects(failure('InvalidGroup.Duplicate'));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-first' }] });
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(failure('InvalidPermission.Duplicate'));

    expect(await ensureSecurityGroup('us-east-1', group)).toBe('sg-first');
  });

  it('adds every rule in one call, each port to its own ranges', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-3' });

    await ensureSecurityGroup('us-east-1', {
      ...group,
      ingress: [
        { port: 443, cidrs: ['192.0.2.0/24'], description: 'HTTPS' },
        { port: 80, cidrs: ['0.0.0.0/0'], description: 'ACME' },
      ],
    });

    expect(ec2).toHaveReceivedCommandTimes(AuthorizeSecurityGroupIngressCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, {
      GroupId: 'sg-3',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '192.0.2.0/24', Description: 'HTTPS' }],
          Ipv6Ranges: [],
        },
        {
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ACME' }],
          Ipv6Ranges: [],
        },
      ],
    });
  });

  it('adds no inbound rule at all to a group without ingress', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-2' });

    expect(await ensureSecurityGroup('us-east-1', { name: 'b', description: 'd', tags: {} })).toBe(
      'sg-2',
    );
    expect(ec2).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
  });
});

describe('vpcOf', () => {
  it('needs no call for the default VPC', async () => {
    expect(await vpcOf('us-east-1', undefined)).toBeUndefined();
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('deleteSecurityGroup', () => {
  it('says false while instances still hold the group', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(failure('DependencyViolation'));

    expect(await deleteSecurityGroup('us-east-1', 'sg-1')).toBe(false);
  });
});
