/** What every part of the simulated EC2 shares: its account state, faults and throttles. */

import type { FaultPlan } from '../kernel/faults';
import type { Ec2World, SimInstance } from './model';
import type { Ec2Throttle } from './throttle';

export interface Ec2Context {
  world: Ec2World;
  faults: FaultPlan;
  throttle: Ec2Throttle;
  defaultHostManagement: boolean;
  /** The account's IAM instance profiles, by name. */
  instanceProfiles: ReadonlySet<string>;
}

/** The agent registers only with an instance profile (or DHMC), and not under the faults. */
export function agentCanRegister(ctx: Ec2Context, instance: SimInstance): boolean {
  if (ctx.faults.agentNeverOnline || ctx.faults.takeSilentAgent()) return false;
  return Boolean(instance.iamInstanceProfile) || ctx.defaultHostManagement;
}
