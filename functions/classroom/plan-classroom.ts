import middy from '@middy/core';
import { z } from 'zod';
import { availableImage } from '../../layers/aws/ec2';
import { planBatches } from '../../layers/core/classroom/plan/batches';
import { classEstimate } from '../../layers/core/classroom/plan/class-estimate';
import { classPlan } from '../../layers/core/classroom/plan/class-plan';
import { placements } from '../../layers/core/classroom/plan/placement-order';
import { parseClassroomRequest } from '../../layers/core/classroom/request/classroom-request';
import { newBatch } from '../../layers/core/classroom/seats/lifecycle';
import { checkBudget } from '../../layers/core/cost/budget';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ request: z.unknown(), classId: z.string().min(1) });

/**
 * Validates the request, checks the image, estimates the class's whole life against its budget and
 * splits the seats into batches.
 */
export const handler = middy()
  .use(logged('planClassroom'))
  .use(taskInput(Input))
  .handler(async ({ request: raw, classId }: z.infer<typeof Input>) => {
    const request = parseClassroomRequest(raw, new Date());
    const image = await availableImage(request.region, request.image.imageId);
    const { STACK_NAME, PARAMETER_PREFIX } = config();
    const plan = classPlan(
      request,
      {
        classId,
        rootDeviceName: image.rootDeviceName,
        rootVolumeGiB: image.rootVolumeGiB ?? 0,
        parameterPrefix: PARAMETER_PREFIX,
        stackName: STACK_NAME,
      },
      placements(request),
    );
    const estimate = classEstimate(request, plan, { snapshotGiB: image.rootVolumeGiB });
    checkBudget(estimate, request.budgetUSD);
    return { class: plan, batches: planBatches(request.seats).map(newBatch), estimate };
  });
