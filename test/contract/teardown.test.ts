/**
 * The nightly teardown's listings and removals against moto: the stack's security group, stop
 * schedule, credentials and images found by tag, prefix and path (and nothing of another stack),
 * removed through the teardown's ports, and a class's status read from its execution. What moto
 * does not model is listed in ./moto.ts.
 */
import { CreateImageCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { expect, it } from 'vitest';
import { launchInstances } from '../../layers/aws/ec2';
import { scheduleStop } from '../../layers/aws/scheduler';
import { ensureSecurityGroup } from '../../layers/aws/security-groups';
import { executionStatus } from '../../layers/aws/sfn';
import {
  parameterNamesUnder,
  putSecureParameter,
  resolvePublicParameter,
} from '../../layers/aws/ssm';
import { listFleet, teardownPorts } from '../../layers/aws/teardown-fleet';
import {
  classesParameterPath,
  classParameterPath,
} from '../../layers/core/classroom/plan/parameter-paths';
import { TAG } from '../../layers/core/tags';
import { BASE_IMAGE_PARAMETER } from './fixtures';
import { ACCOUNT, createInstanceProfile, describeOnMoto, REGION, unique } from './moto';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bakehouse-contract-scheduler`;

describeOnMoto('the teardown adapters on moto', () => {
  it("lists the stack's group, schedule, credentials and image, and removes them", async () => {
    // Prepare
    const stack = unique('bakehouse-teardown');
    const other = unique('bakehouse-other');
    const prefix = `/${stack}`;
    const classId = unique('class');
    const schedulePrefix = `${unique('bakehouse')}-`;
    const groupId = await ensureSecurityGroup(REGION, {
      name: unique('class-group'),
      description: 'a class group',
      tags: { [TAG.stack]: stack, [TAG.kind]: 'security-group', [TAG.classroom]: classId },
    });
    await ensureSecurityGroup(REGION, {
      name: unique('other-group'),
      description: "another stack's group",
      tags: { [TAG.stack]: other, [TAG.kind]: 'security-group' },
    });
    await scheduleStop(REGION, {
      name: `${schedulePrefix}b00`,
      atExpression: 'at(2027-03-02T11:00:00)',
      instanceIds: ['i-0a1b2c3d4e5f60718'],
      roleArn: ROLE_ARN,
      description: 'stop',
    });
    const credential = `${classParameterPath(prefix, classId)}/b00/s00`;
    await putSecureParameter(REGION, credential, '{"password":"x"}', 'seat');
    const profile = unique('bakehouse-contract-instance');
    await createInstanceProfile(profile);
    const [builder] = await launchInstances(REGION, {
      imageId: await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER),
      instanceType: 't3.micro',
      count: 1,
      clientToken: unique('token'),
      market: 'on-demand',
      instanceProfileName: profile,
      rootDeviceName: '/dev/xvda',
      rootVolumeGiB: 8,
      shutdownBehavior: 'terminate',
      tags: { [TAG.stack]: stack, [TAG.kind]: 'builder' },
    });
    const imageTags = [
      { Key: TAG.stack, Value: stack },
      { Key: TAG.kind, Value: 'image' },
      { Key: TAG.name, Value: 'stats image' },
    ];
    const ec2 = new EC2Client({ region: REGION });
    const { ImageId } = await ec2.send(
      new CreateImageCommand({
        InstanceId: builder?.instanceId,
        Name: unique('stats'),
        TagSpecifications: [{ ResourceType: 'image', Tags: imageTags }],
      }),
    );

    // Act
    const fleet = await listFleet(REGION, {
      tags: { [TAG.stack]: stack },
      credentialsPath: classesParameterPath(prefix),
      schedulePrefix,
    });
    const ports = teardownPorts(REGION);
    const image = fleet.images.find((i) => i.imageId === ImageId);
    await ports.terminateInstances([builder?.instanceId ?? '']);
    await ports.deleteImage({ id: ImageId ?? '', snapshotIds: image?.snapshotIds ?? [] });
    await ports.deleteParameters(fleet.parameters);
    await ports.deleteSchedule(`${schedulePrefix}b00`);
    const deleted = await ports.deleteSecurityGroup(groupId);
    const after = await listFleet(REGION, {
      tags: { [TAG.stack]: stack },
      credentialsPath: classesParameterPath(prefix),
      schedulePrefix,
    });

    // Assess
    expect(fleet.securityGroups.map((g) => g.groupId)).toEqual([groupId]);
    expect(fleet.securityGroups[0]?.tags[TAG.classroom]).toBe(classId);
    expect(fleet.schedules).toEqual([
      { name: `${schedulePrefix}b00`, roleArn: ROLE_ARN, instanceIds: ['i-0a1b2c3d4e5f60718'] },
    ]);
    expect(fleet.parameters).toEqual([credential]);
    expect(fleet.instances.find((i) => i.instanceId === builder?.instanceId)).toMatchObject({
      state: 'running',
      tags: { [TAG.stack]: stack, [TAG.kind]: 'builder' },
    });
    expect(image).toMatchObject({ tags: { [TAG.stack]: stack, [TAG.kind]: 'image' } });
    expect(image?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(deleted).toBe(true);
    expect(after.securityGroups).toEqual([]);
    expect(after.schedules).toEqual([]);
    expect(await parameterNamesUnder(REGION, classesParameterPath(prefix))).toEqual([]);
    expect(after.instances.find((i) => i.instanceId === builder?.instanceId)).toBeUndefined();
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(images.Images?.some((i) => i.ImageId === ImageId)).toBe(false);
  });

  it('reads a class status from the execution named after the class', async () => {
    // Prepare
    const sfn = new SFNClient({ region: REGION });
    const { stateMachineArn = '' } = await sfn.send(
      new CreateStateMachineCommand({
        name: unique('bakehouse-contract-classroom'),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/bakehouse-contract-states`,
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }),
    );
    const classId = unique('class');
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: classId, input: '{}' }));

    // Act
    const running = await executionStatus(stateMachineArn, classId);
    const none = await executionStatus(stateMachineArn, unique('class'));

    // Assess
    expect(['RUNNING', 'SUCCEEDED']).toContain(running);
    expect(none).toBeUndefined();
  });
});
