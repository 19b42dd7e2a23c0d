/** The Elastic IP adapter against moto: a seat's address found again, kept, and released. */
import { DescribeAddressesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, expect, it } from 'vitest';
import { associateAddresses, releaseAddresses, seatAddresses } from '../../layers/aws/addresses';
import { launchInstances } from '../../layers/aws/ec2';
import { ensureSecurityGroup } from '../../layers/aws/security-groups';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import {
  addressTags,
  classTags,
  securityGroupName,
} from '../../layers/core/classroom/plan/class-names';
import { classIngress } from '../../layers/core/classroom/plan/ingress';
import { seatLaunchSpec } from '../../layers/core/classroom/plan/launch-spec';
import { TAG } from '../../layers/core/tags';
import { BASE_IMAGE_PARAMETER, contractClass } from './fixtures';
import { createInstanceProfile, describeOnMoto, REGION, unique } from './moto';

const profile = unique('bakehouse-contract-addresses');
const ec2 = () => new EC2Client({ region: REGION });

describeOnMoto('Elastic IP adapter on moto', () => {
  beforeAll(async () => {
    await createInstanceProfile(profile);
  });

  it('gives a seat one tagged address, finds it again on a retry, and releases it with the class', async () => {
    // Prepare
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const { plan } = await contractClass(imageId, { tls: { mode: 'acme' } });
    const securityGroupId = await ensureSecurityGroup(REGION, {
      name: securityGroupName(plan),
      description: `bakehouse class ${plan.name}`,
      ingress: classIngress(plan),
      tags: classTags(plan, 'security-group'),
    });
    const [placement] = plan.placements;
    if (!placement) throw new Error('the plan has no placement');
    const [seat] = await launchInstances(
      REGION,
      seatLaunchSpec(plan, {
        batchId: 'b00',
        attempt: 0,
        placement,
        placementIndex: 0,
        seatIds: ['seat-001'],
        launch: 'contract-test',
        securityGroupId,
        instanceProfileName: profile,
      }),
    );
    if (!seat) throw new Error('moto launched nothing');
    const request = {
      find: { [TAG.classroom]: plan.classId },
      seats: [{ key: 'seat-001', tags: addressTags(plan, 'seat-001') }],
    };

    // Act
    const first = await seatAddresses(REGION, request);
    const again = await seatAddresses(REGION, request);
    const allocationId = first.get('seat-001')?.allocationId as string;
    await associateAddresses(REGION, [{ allocationId, instanceId: seat.instanceId }]);
    const described = await ec2().send(
      new DescribeInstancesCommand({ InstanceIds: [seat.instanceId] }),
    );
    const released = await releaseAddresses(REGION, { [TAG.classroom]: plan.classId });
    const left = await ec2().send(
      new DescribeAddressesCommand({
        Filters: [{ Name: `tag:${TAG.classroom}`, Values: [plan.classId] }],
      }),
    );

    // Assess
    const ip = first.get('seat-001')?.publicIp;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(again.get('seat-001')?.publicIp).toBe(ip);
    expect(described.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress).toBe(ip);
    expect(released).toHaveLength(1);
    expect(left.Addresses).toEqual([]);
  });
});
