/**
 * A bake and a class planned by the core exactly as ValidateRecipe and PlanClassroom plan them,
 * so that the contract sends the requests the state machines really send.
 */
import { availableImage } from '../../layers/aws/ec2';
import { type Bake, planBake } from '../../layers/core/bake';
import { type ClassPlan, classPlan } from '../../layers/core/classroom/plan/class-plan';
import { placements } from '../../layers/core/classroom/plan/placement-order';
import {
  type ClassroomRequest,
  type ClassroomRequestInput,
  parseClassroomRequest,
} from '../../layers/core/classroom/request/classroom-request';
import { compileRecipe } from '../../layers/core/recipe/compile';
import { parseRecipe } from '../../layers/core/recipe/schema';
import { REGION, unique } from './moto';

export const STACK = 'bakehouse-contract';
export const PARAMETER_PREFIX = '/bakehouse/contract';
/** A public parameter moto serves (it has no Debian or Ubuntu ones). */
export const BASE_IMAGE_PARAMETER = '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2';

export function contractBake(): Bake {
  const recipe = parseRecipe({
    name: 'stats-workshop',
    region: REGION,
    baseImage: BASE_IMAGE_PARAMETER,
    builder: { instanceType: 't3.large', timeoutMinutes: 30 },
    volumes: [{ device: '/dev/sdf', sizeGiB: 50, mountPoint: '/scratch' }],
    environment: { apt: ['jq'], pip: ['numpy==2.1.0'] },
    jupyter: { flavour: 'lab' },
  });
  return planBake(recipe, compileRecipe(recipe).recipeHash, unique('bake'));
}

/** A class on `imageId` in `subnetId`, planned with a fresh class id, as PlanClassroom does. */
export async function contractClass(
  imageId: string,
  options: { subnetId?: string; allowedCidrs?: string[]; tls?: ClassroomRequestInput['tls'] } = {},
): Promise<{ request: ClassroomRequest; plan: ClassPlan }> {
  const now = new Date();
  const day = new Date(now.getTime() + 7 * 24 * 3_600_000).toISOString().slice(0, 10);
  const request = parseClassroomRequest(
    {
      name: 'intro-genomics',
      image: imageId,
      region: REGION,
      students: [
        { name: 'Ada Lovelace', email: 'ada@example.edu' },
        { name: 'Alan Turing', email: 'alan@example.edu' },
      ],
      instanceTypes: ['t3.medium'],
      subnets: options.subnetId ? [options.subnetId] : [],
      allowedCidrs: options.allowedCidrs ?? ['203.0.113.0/24'],
      schedule: { start: `${day}T09:00`, end: `${day}T12:00`, timezone: 'Europe/Berlin' },
      instructor: { name: 'Grace Hopper', email: 'grace@example.edu' },
      sender: 'classes@example.edu',
      tls: options.tls ?? { mode: 'none' },
    },
    now,
  );
  const image = await availableImage(REGION, request.image.imageId);
  const plan = classPlan(
    request,
    {
      classId: unique('class'),
      rootDeviceName: image.rootDeviceName,
      rootVolumeGiB: image.rootVolumeGiB ?? 0,
      parameterPrefix: PARAMETER_PREFIX,
      stackName: STACK,
    },
    placements(request),
  );
  return { request, plan };
}
