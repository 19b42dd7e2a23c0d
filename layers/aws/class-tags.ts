/**
 * The tags of everything a class holds, changed in place: its seats' instances and the volumes
 * attached to them, its security group and its Elastic IPs, found by the class's tags. CreateTags
 * overwrites a key a resource already has, so sending the same tags again changes nothing.
 */
import {
  CreateTagsCommand,
  DescribeAddressesCommand,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import type { Tags } from '../core/tags';
import { ec2Client } from './clients';
import { tagFilters, tagList } from './ec2-tags';
import { securityGroupsByTag } from './security-groups';

/** Resource ids per CreateTags request: EC2 takes up to 1000 and advises smaller batches. */
const BATCH = 200;

const LIVE = ['pending', 'running', 'stopping', 'stopped'];

/** Sets `tags` on every resource of the class carrying `classTags`; the ids tagged. */
export async function retagClassResources(
  region: string,
  classTags: Tags,
  tags: Tags,
): Promise<string[]> {
  const client = ec2Client(region);
  const filters = tagFilters(classTags);
  const ids: string[] = [];
  const pages = paginateDescribeInstances(
    { client, pageSize: 1000 },
    { Filters: [...filters, { Name: 'instance-state-name', Values: LIVE }] },
  );
  for await (const page of pages)
    for (const reservation of page.Reservations ?? [])
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) ids.push(instance.InstanceId);
        for (const device of instance.BlockDeviceMappings ?? [])
          if (device.Ebs?.VolumeId) ids.push(device.Ebs.VolumeId);
      }
  ids.push(...(await securityGroupsByTag(region, classTags)));
  const addresses = await client.send(new DescribeAddressesCommand({ Filters: filters }));
  for (const address of addresses.Addresses ?? [])
    if (address.AllocationId) ids.push(address.AllocationId);
  for (let i = 0; i < ids.length; i += BATCH)
    await client.send(
      new CreateTagsCommand({ Resources: ids.slice(i, i + BATCH), Tags: tagList(tags) }),
    );
  return ids;
}
