/** The default VPC a new account has: one subnet per AZ, and the instance types on offer. */
import type {
  DescribeInstanceTypeOfferingsRequest,
  DescribeInstanceTypeOfferingsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  _InstanceType as InstanceTypeName,
} from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import { applyFilters, type FilterFields, paginate } from './filters';
import { allInstanceTypes } from './instance-types';
import { type Ec2World, type SimSubnet, tagList } from './model';
import { createGroup } from './security-groups';

const AZ_LETTERS = ['a', 'b', 'c', 'd'] as const;

/**
 * The default VPC of `region` (unset: the account's own), made the first time a client of that
 * region needs it: subnets in four AZs and the VPC's `default` group, as a new account has them.
 */
export function defaultVpc(world: Ec2World, region = world.region): string {
  const known = world.vpcs.get(region);
  if (known) return known;
  const vpcId = region === world.region ? world.vpcId : world.newId('vpc');
  world.vpcs.set(region, vpcId);
  AZ_LETTERS.forEach((letter, i) => {
    world.subnets.push({
      subnetId: world.newId('subnet'),
      region,
      az: `${region}${letter}`,
      azId: `${regionCode(region)}-az${i + 1}`,
      cidr: `172.31.${i * 16}.0/20`,
      vpcId,
      tags: new Map(),
    });
  });
  const group = createGroup(world, 'default', 'default VPC security group', true, vpcId);
  group.ingress.push({
    ruleId: world.newId('sgr'),
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    sourceGroupId: group.groupId,
  });
  return vpcId;
}

/** The default subnets a client of `region` sees. */
export function subnetsIn(world: Ec2World, region?: string): SimSubnet[] {
  const vpcId = defaultVpc(world, region);
  return world.subnets.filter((s) => s.vpcId === vpcId);
}

function regionCode(region: string): string {
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area.slice(0, 2)}${direction[0] ?? ''}${number}`;
}

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

export function vpcOperations(world: Ec2World) {
  return {
    DescribeSubnets: operation(
      (input: DescribeSubnetsRequest, { region }): DescribeSubnetsResult => {
        const subnets = subnetsIn(world, region);
        const wanted = input.SubnetIds ?? [];
        const missing = wanted.filter((id) => !subnets.some((s) => s.subnetId === id));
        if (missing.length)
          throw ec2Fault(
            'InvalidSubnetID.NotFound',
            `The subnet ID '${missing.join(', ')}' does not exist`,
          );
        const chosen = wanted.length ? subnets.filter((s) => wanted.includes(s.subnetId)) : subnets;
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
            SubnetArn: `arn:aws:ec2:${s.region}:${world.account}:subnet/${s.subnetId}`,
            Tags: tagList(s.tags),
          })),
          NextToken: page.nextToken,
        };
      },
    ),

    DescribeInstanceTypeOfferings: operation(
      (
        input: DescribeInstanceTypeOfferingsRequest,
        { region },
      ): DescribeInstanceTypeOfferingsResult => {
        const type = input.LocationType ?? 'region';
        const locations =
          type === 'region'
            ? [region ?? world.region]
            : subnetsIn(world, region).map((s) => (type === 'availability-zone' ? s.az : s.azId));
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
