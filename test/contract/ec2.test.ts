/**
 * The EC2 adapter against moto: builders and seats launched from the core's own launch specs,
 * found by tag, stopped and terminated; images found, checked and deleted with their snapshots.
 * What moto does not model is listed in ./moto.ts.
 */
import {
  CreateImageCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import { beforeAll, expect, it } from 'vitest';
import {
  availableImage,
  deleteImage,
  describeImage,
  describeInstances,
  imagesByTag,
  instancesByTag,
  launchInstances,
  stopInstances,
  terminateInstances,
} from '../../layers/aws/ec2';
import { ensureSecurityGroup, vpcOf } from '../../layers/aws/security-groups';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import { NotFoundError } from '../../layers/base/errors';
import {
  bakeTags,
  builderLaunchSpec,
  builderLifetimeMinutes,
  builderSecurityGroupName,
} from '../../layers/core/bake';
import { classTags, securityGroupName } from '../../layers/core/classroom/plan/class-names';
import { classIngress } from '../../layers/core/classroom/plan/ingress';
import { seatLaunchSpec } from '../../layers/core/classroom/plan/launch-spec';
import { TAG } from '../../layers/core/tags';
import { BASE_IMAGE_PARAMETER, contractBake, contractClass, STACK } from './fixtures';
import { createInstanceProfile, describeOnMoto, REGION, unique } from './moto';

const profile = unique('bakehouse-contract-instance');
const ec2 = () => new EC2Client({ region: REGION });

async function instance(instanceId: string): Promise<Instance> {
  const output = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const found = output.Reservations?.[0]?.Instances?.[0];
  if (!found) throw new Error(`moto does not know ${instanceId}`);
  return found;
}

async function attribute(
  instanceId: string,
  Attribute: 'userData' | 'instanceInitiatedShutdownBehavior',
) {
  return ec2().send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute }));
}

/** A builder launched as LaunchBuilder launches it, from the base image ResolveBaseImage finds. */
async function launchBuilder(stackName = unique(STACK)) {
  const bake = contractBake();
  const base = await availableImage(
    REGION,
    await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER),
  );
  const securityGroupId = await ensureSecurityGroup(REGION, {
    name: builderSecurityGroupName(stackName),
    description: 'bakehouse builders: no inbound rule, configured through SSM only',
    vpcId: await vpcOf(REGION, bake.recipe.builder.subnetId),
    tags: { [TAG.stack]: stackName, [TAG.kind]: 'security-group' },
  });
  const spec = builderLaunchSpec(bake, base, {
    executionId: unique('execution'),
    stackName,
    instanceProfileName: profile,
    securityGroupId,
    now: new Date(),
  });
  const launched = await launchInstances(REGION, spec);
  return { bake, base, spec, securityGroupId, launched, stackName };
}

/**
 * An image of a builder, tagged as CreateImage tags it but without the `snapshot` tag
 * specification createImage sends: moto does not implement that one.
 */
async function bakeImage() {
  const builder = await launchBuilder();
  const tags = bakeTags(builder.bake, builder.stackName, 'image');
  const { ImageId = '' } = await ec2().send(
    new CreateImageCommand({
      InstanceId: builder.launched[0]?.instanceId,
      Name: unique(builder.bake.recipe.name),
      TagSpecifications: [
        {
          ResourceType: 'image',
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        },
      ],
    }),
  );
  return { ...builder, imageId: ImageId, tags };
}

describeOnMoto('EC2 adapter on moto', () => {
  beforeAll(async () => {
    await createInstanceProfile(profile);
  });

  it('resolves the base image from a public parameter to an available image with its root device', async () => {
    // Act
    const imageId = await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER);
    const image = await availableImage(REGION, imageId);

    // Assess
    const [described] =
      (await ec2().send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images ?? [];
    expect(imageId).toMatch(/^ami-[0-9a-f]+$/);
    expect(image).toMatchObject({
      imageId,
      state: 'available',
      rootDeviceName: described?.RootDeviceName,
    });
    expect(image.rootVolumeGiB).toBe(
      described?.BlockDeviceMappings?.find((b) => b.DeviceName === described.RootDeviceName)?.Ebs
        ?.VolumeSize,
    );
  });

  it('launches a tagged, IMDSv2-only builder with encrypted volumes, no key pair and a shutdown that terminates, and finds it by its bake tag', async () => {
    // Act
    const { bake, spec, launched, securityGroupId } = await launchBuilder();

    // Assess
    expect(launched).toHaveLength(1);
    const builderId = launched[0]?.instanceId ?? '';
    const described = await instance(builderId);
    expect(described.MetadataOptions).toMatchObject({
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
      HttpPutResponseHopLimit: 1,
    });
    expect(described.KeyName).toBeUndefined();
    expect(described.InstanceType).toBe(bake.recipe.builder.instanceType);
    expect(described.IamInstanceProfile?.Arn).toMatch(new RegExp(`:instance-profile/${profile}$`));
    expect(described.SecurityGroups?.map((g) => g.GroupId)).toEqual([securityGroupId]);
    expect(Object.fromEntries((described.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual(
      spec.tags,
    );
    const volumes =
      (
        await ec2().send(
          new DescribeVolumesCommand({
            Filters: [{ Name: 'attachment.instance-id', Values: [builderId] }],
          }),
        )
      ).Volumes ?? [];
    expect(
      volumes.map((v) => [v.Attachments?.[0]?.Device, v.Size, v.VolumeType, v.Encrypted]).sort(),
    ).toEqual(
      [
        [spec.rootDeviceName, spec.rootVolumeGiB, 'gp3', true],
        ['/dev/sdf', 50, 'gp3', true],
      ].sort(),
    );
    expect(
      volumes.every((v) => v.Tags?.some((t) => t.Key === TAG.bake && t.Value === bake.bakeId)),
    ).toBe(true);
    const shutdown = await attribute(builderId, 'instanceInitiatedShutdownBehavior');
    expect(shutdown.InstanceInitiatedShutdownBehavior?.Value).toBe('terminate');
    const userData = await attribute(builderId, 'userData');
    expect(Buffer.from(userData.UserData?.Value ?? '', 'base64').toString('utf8')).toBe(
      spec.userData,
    );
    expect(spec.userData).toContain(`+${builderLifetimeMinutes(bake)}`);
    const found = await instancesByTag(REGION, { [TAG.bake]: bake.bakeId });
    expect(found.map((i) => i.instanceId)).toEqual([builderId]);
    expect(found[0]).toMatchObject({ state: 'running', instanceType: 't3.large' });
  });

  it('stops and terminates instances, and a terminated one drops out of the tag search but stays describable', async () => {
    // Prepare
    const { bake, launched } = await launchBuilder();
    const builderId = launched[0]?.instanceId ?? '';

    // Act
    const stopped = await stopInstances(REGION, [builderId]);
    const afterStop = await describeInstances(REGION, [builderId]);
    const terminated = await terminateInstances(REGION, [builderId]);

    // Assess
    expect(stopped).toEqual([builderId]);
    expect(afterStop.map((i) => i.state)).toEqual(['stopped']);
    expect(terminated).toEqual([builderId]);
    expect((await describeInstances(REGION, [builderId])).map((i) => i.state)).toEqual([
      'terminated',
    ]);
    expect(await instancesByTag(REGION, { [TAG.bake]: bake.bakeId })).toEqual([]);
    expect(
      (await instancesByTag(REGION, { [TAG.bake]: bake.bakeId }, ['terminated'])).map(
        (i) => i.instanceId,
      ),
    ).toEqual([builderId]);
  });

  it('asks nothing of EC2 for an empty list of instances', async () => {
    // Act
    const results = await Promise.all([
      describeInstances(REGION, []),
      stopInstances(REGION, []),
      terminateInstances(REGION, []),
    ]);

    // Assess
    expect(results).toEqual([[], [], []]);
  });

  it('launches a class batch from a baked image into the class security group and subnet, tagged with class and batch', async () => {
    // Prepare
    const [subnet] =
      (
        await ec2().send(
          new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
        )
      ).Subnets ?? [];
    const { imageId } = await bakeImage();
    const { plan } = await contractClass(imageId, { subnetId: subnet?.SubnetId });
    const securityGroupId = await ensureSecurityGroup(REGION, {
      name: securityGroupName(plan),
      description: `bakehouse class ${plan.name}`,
      vpcId: await vpcOf(REGION, plan.subnets[0]),
      ingress: classIngress(plan),
      tags: classTags(plan, 'security-group'),
    });
    const [placement] = plan.placements;
    if (!placement) throw new Error('the plan has no placement');
    const spec = seatLaunchSpec(plan, {
      batchId: 'b00',
      attempt: 0,
      placement,
      placementIndex: 0,
      seatIds: ['seat-001', 'seat-002', 'seat-003'],
      launch: 'contract-test',
      securityGroupId,
      instanceProfileName: profile,
    });

    // Act
    const launched = await launchInstances(REGION, spec);

    // Assess
    expect(launched.length).toBeGreaterThanOrEqual(1);
    const found = await instancesByTag(REGION, {
      [TAG.classroom]: plan.classId,
      [TAG.batch]: 'b00',
    });
    expect(found.map((i) => i.instanceId).sort()).toEqual(launched.map((i) => i.instanceId).sort());
    for (const seat of found) {
      const described = await instance(seat.instanceId);
      expect(described.SubnetId).toBe(subnet?.SubnetId);
      expect(described.SecurityGroups?.map((g) => g.GroupId)).toEqual([securityGroupId]);
      expect(described.MetadataOptions?.HttpTokens).toBe('required');
      expect(seat.tags).toEqual(spec.tags);
      expect(seat.availabilityZone).toBe(subnet?.AvailabilityZone);
      const shutdown = await attribute(seat.instanceId, 'instanceInitiatedShutdownBehavior');
      expect(shutdown.InstanceInitiatedShutdownBehavior?.Value).toBe('stop');
      const volumes = await ec2().send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [seat.instanceId] }],
        }),
      );
      expect(
        volumes.Volumes?.map((v) => [v.Attachments?.[0]?.Device, v.Size, v.Encrypted]),
      ).toEqual([[plan.rootDeviceName, plan.volumeGiB, true]]);
    }
  });

  it('finds a baked image by its bake tag, with its root device and snapshot, and deletes both', async () => {
    // Prepare
    const { bake, imageId: ImageId, tags } = await bakeImage();

    // Act
    const found = await imagesByTag(REGION, { [TAG.bake]: bake.bakeId });
    const image = await availableImage(REGION, ImageId);
    await deleteImage(REGION, image);

    // Assess
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ imageId: ImageId, state: 'available', tags });
    expect(image.snapshotIds).toHaveLength(1);
    expect(image.rootDeviceName).toMatch(/^\/dev\//);
    expect(await describeImage(REGION, ImageId)).toBeUndefined();
    expect(await imagesByTag(REGION, { [TAG.bake]: bake.bakeId })).toEqual([]);
    await expect(
      ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: image.snapshotIds })),
    ).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' });
  });

  it('reads an image EC2 does not know as missing, and refuses to launch from it with NotFoundError', async () => {
    // Prepare
    const unknown = 'ami-0123456789abcdef0';
    await expect(
      ec2().send(new DescribeImagesCommand({ ImageIds: [unknown] })),
    ).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });

    // Act
    const described = await describeImage(REGION, unknown);
    const checked = availableImage(REGION, unknown, 'base image');

    // Assess
    expect(described).toBeUndefined();
    await expect(checked).rejects.toBeInstanceOf(NotFoundError);
    await expect(checked).rejects.toThrow(`base image ${unknown} is not found in ${REGION}`);
  });

  it('passes EC2 not-found errors for unknown instances and subnets through unchanged', async () => {
    // Act
    const [instances, vpc] = await Promise.allSettled([
      describeInstances(REGION, ['i-0123456789abcdef0']),
      vpcOf(REGION, 'subnet-0123456789abcdef0'),
    ]);

    // Assess
    expect(instances).toMatchObject({
      status: 'rejected',
      reason: { name: 'InvalidInstanceID.NotFound' },
    });
    expect(vpc).toMatchObject({ status: 'rejected', reason: { name: 'InvalidSubnetID.NotFound' } });
  });
});
