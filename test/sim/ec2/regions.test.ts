// DescribeRegions in the simulated account: the enabled regions by default, all with AllRegions.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { harness } from '../harness';

describe('simulated DescribeRegions', () => {
  it("answers the account's enabled regions, its own among them, and opt-in ones only when all are asked for", async () => {
    // Prepare
    const h = harness({ region: 'eu-west-1' });

    // Act
    const enabled = await h.ec2.send(new DescribeRegionsCommand({}));
    const all = await h.ec2.send(new DescribeRegionsCommand({ AllRegions: true }));

    // Assess
    const names = (r: typeof enabled) => (r.Regions ?? []).map((x) => x.RegionName);
    expect(names(enabled)).toContain('eu-west-1');
    expect(names(enabled)).toContain('us-east-1');
    expect(names(enabled)).not.toContain('af-south-1');
    expect(enabled.Regions?.every((r) => r.OptInStatus === 'opt-in-not-required')).toBe(true);
    expect(all.Regions?.find((r) => r.RegionName === 'af-south-1')).toEqual({
      RegionName: 'af-south-1',
      Endpoint: 'ec2.af-south-1.amazonaws.com',
      OptInStatus: 'not-opted-in',
    });
  });

  it('filters by name and opt-in status, names any region asked for, and refuses an unknown filter or region', async () => {
    // Prepare
    const h = harness();

    // Act
    const named = await h.ec2.send(
      new DescribeRegionsCommand({ RegionNames: ['af-south-1', 'us-west-2'] }),
    );
    const filtered = await h.ec2.send(
      new DescribeRegionsCommand({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }],
      }),
    );
    const badFilter = h.ec2.send(
      new DescribeRegionsCommand({ Filters: [{ Name: 'zone', Values: ['x'] }] }),
    );
    const badRegion = h.ec2.send(new DescribeRegionsCommand({ RegionNames: ['xx-nowhere-1'] }));

    // Assess
    expect(named.Regions?.map((r) => r.RegionName).sort()).toEqual(['af-south-1', 'us-west-2']);
    expect(filtered.Regions?.every((r) => r.OptInStatus === 'not-opted-in')).toBe(true);
    expect(filtered.Regions?.length).toBeGreaterThan(0);
    await expect(badFilter).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(badRegion).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});
