import { CopyImageCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { copyImage, enabledRegions } from '../../layers/aws/ec2-copies';
import type { CopyRequest } from '../../layers/core/bake';

const ec2 = mockClient(EC2Client);

const request: CopyRequest = {
  region: 'eu-west-1',
  sourceRegion: 'us-east-1',
  sourceImageId: 'ami-0123456789abcdef0',
  name: 'stats-abc-bake-1',
  description: 'bakehouse stats (recipe abc), copy of ami-0123456789abcdef0 from us-east-1',
  clientToken: 'bh-copy',
  tags: { 'bakehouse:stack': 'bakehouse-dev', 'bakehouse:bake-id': 'bake-1' },
};

beforeEach(() => {
  ec2.reset();
});

describe('copyImage', () => {
  it('sends CopyImage in the destination region, encrypted, with its ClientToken and tags on image and snapshots', async () => {
    ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-0aaaaaaaaaaaaaaaa' });

    const imageId = await copyImage(request);

    expect(imageId).toBe('ami-0aaaaaaaaaaaaaaaa');
    const [call] = ec2.commandCalls(CopyImageCommand);
    expect(await call?.thisValue.config.region()).toBe('eu-west-1');
    const tags = [
      { Key: 'bakehouse:stack', Value: 'bakehouse-dev' },
      { Key: 'bakehouse:bake-id', Value: 'bake-1' },
    ];
    expect(call?.args[0].input).toEqual({
      SourceRegion: 'us-east-1',
      SourceImageId: 'ami-0123456789abcdef0',
      Name: 'stats-abc-bake-1',
      Description: request.description,
      ClientToken: 'bh-copy',
      Encrypted: true,
      TagSpecifications: [
        { ResourceType: 'image', Tags: tags },
        { ResourceType: 'snapshot', Tags: tags },
      ],
    });
  });

  it('fails when EC2 answers without an image id, naming the region', async () => {
    ec2.on(CopyImageCommand).resolves({});

    await expect(copyImage(request)).rejects.toThrow(/CopyImage to eu-west-1 answered no ImageId/);
  });

  it('passes EC2 errors on by name, for the state machine to match', async () => {
    ec2
      .on(CopyImageCommand)
      .rejects(Object.assign(new Error('mismatch'), { name: 'IdempotentParameterMismatch' }));

    await expect(copyImage(request)).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
  });
});

describe('enabledRegions', () => {
  it("asks for the account's enabled regions only, and answers their names sorted", async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [{ RegionName: 'us-west-2' }, { RegionName: 'eu-west-1' }, {}],
    });

    const regions = await enabledRegions('us-east-1');

    expect(regions).toEqual(['eu-west-1', 'us-west-2']);
    expect(ec2).toHaveReceivedCommandWith(DescribeRegionsCommand, {});
    expect(ec2.commandCalls(DescribeRegionsCommand)[0]?.args[0].input).toEqual({});
  });
});
