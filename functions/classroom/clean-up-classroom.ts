import middy from '@middy/core';
import { z } from 'zod';
import { releaseAddresses } from '../../layers/aws/addresses';
import { cancelSpotRequests, instancesByTag, terminateInstances } from '../../layers/aws/ec2';
import { deleteSchedules } from '../../layers/aws/scheduler';
import { deleteSecurityGroup, securityGroupsByTag } from '../../layers/aws/security-groups';
import { deleteParameters, parameterNamesUnder } from '../../layers/aws/ssm';
import { stopSchedulePrefix } from '../../layers/core/classroom/plan/class-names';
import { classParameterPath } from '../../layers/core/classroom/plan/parameter-paths';
import { FailureSchema, failureOutcome } from '../../layers/core/failure';
import { spotRequestsOf } from '../../layers/core/launch';
import { TAG } from '../../layers/core/tags';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ region: z.string(), classId: z.string(), failed: FailureSchema });

/**
 * The Catch path of the classroom: every seat of the class is found by tag and terminated (the
 * spot requests of spot seats cancelled first, so none is launched again), its credentials, stop
 * schedules and Elastic IPs deleted, and its security group deleted (or left, and named so,
 * while terminating instances still hold it).
 */
export const handler = middy()
  .use(logged('cleanUpClassroom'))
  .use(taskInput(Input))
  .handler(async ({ region, classId, failed }: z.infer<typeof Input>) => {
    const mine = { [TAG.classroom]: classId };
    const seats = await instancesByTag(region, mine);
    await cancelSpotRequests(region, spotRequestsOf(seats));
    const terminated = await terminateInstances(
      region,
      seats.map((s) => s.instanceId),
    );
    const path = classParameterPath(config().PARAMETER_PREFIX, classId);
    await deleteParameters(region, await parameterNamesUnder(region, path));
    await deleteSchedules(region, stopSchedulePrefix({ classId }));
    const addresses = await releaseAddresses(region, mine);
    const groups = await securityGroupsByTag(region, mine);
    const deleted = await Promise.all(
      groups.map(async (g) =>
        (await deleteSecurityGroup(region, g))
          ? g
          : `${g} (still held by terminating instances: not deleted)`,
      ),
    );
    return failureOutcome(failed, [...terminated, ...addresses, ...deleted]);
  });
