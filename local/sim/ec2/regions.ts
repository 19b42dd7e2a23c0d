/**
 * DescribeRegions: the Regions enabled for the account (the simulated account's own region and
 * those enabled by default), or all of them with AllRegions (opt-in Regions as not-opted-in).
 * RegionNames may name any Region, enabled or not (one the simulation does not know is refused
 * with InvalidParameterValue); the filters are endpoint, opt-in-status and region-name. Source: the EC2
 * API Reference, DescribeRegions ("Describes the Regions that are enabled for your account, or all
 * Regions"; "You can specify any Regions, whether they are enabled and disabled for your account").
 */
import type { DescribeRegionsRequest, DescribeRegionsResult } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { operation } from '../kernel/transport';
import { applyFilters } from './filters';
import type { Ec2World } from './model';

/** Regions every account has enabled (their opt-in status is opt-in-not-required). */
const BY_DEFAULT = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];
/** Regions an account must opt in to; the simulated account has not. */
const OPT_IN = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'eu-south-1',
  'me-central-1',
  'me-south-1',
];

interface Region {
  name: string;
  status: 'opt-in-not-required' | 'not-opted-in';
}

export function regionOperations(world: Ec2World) {
  const regions = (): Region[] => [
    ...[...new Set([...BY_DEFAULT, world.region])].map(
      (name) => ({ name, status: 'opt-in-not-required' }) as const,
    ),
    ...OPT_IN.filter((name) => name !== world.region).map(
      (name) => ({ name, status: 'not-opted-in' }) as const,
    ),
  ];
  const endpoint = (r: Region) => `ec2.${r.name}.amazonaws.com`;
  return {
    DescribeRegions: operation((input: DescribeRegionsRequest): DescribeRegionsResult => {
      const all = regions();
      for (const name of input.RegionNames ?? [])
        if (!all.some((r) => r.name === name))
          throw ec2Fault('InvalidParameterValue', `Invalid region: ${name}`);
      const named = input.RegionNames?.length
        ? all.filter((r) => input.RegionNames?.includes(r.name))
        : all.filter((r) => input.AllRegions || r.status !== 'not-opted-in');
      const found = applyFilters(
        named,
        input.Filters,
        {
          endpoint: (r) => [endpoint(r)],
          'opt-in-status': (r) => [r.status],
          'region-name': (r) => [r.name],
        },
        () => new Map(),
      );
      return {
        Regions: found.map((r) => ({
          RegionName: r.name,
          Endpoint: endpoint(r),
          OptInStatus: r.status,
        })),
      };
    }),
  };
}
