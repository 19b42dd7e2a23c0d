/** The simulated Systems Manager: Parameter Store, agent registration and Run Command. */

import type { Ec2World } from '../ec2/model';
import type { FaultPlan } from '../kernel/faults';
import type { Operations } from '../kernel/transport';
import type { SimulatedS3 } from '../s3/s3';
import { agentOperations } from './agents';
import { CommandCenter, type CommandSnapshot } from './commands';
import type { ParameterSnapshot } from './parameters';
import { ParameterStore } from './parameters';

export class SimulatedSsm {
  readonly operations: Operations;
  readonly commandCenter: CommandCenter;
  private readonly store: ParameterStore;

  constructor(world: Ec2World, faults: FaultPlan, objects?: Pick<SimulatedS3, 'read'>) {
    this.store = new ParameterStore(world.clock, world.events, world.region, world.account);
    this.commandCenter = new CommandCenter(world, faults, objects);
    this.operations = {
      ...this.store.operations(),
      ...agentOperations(world),
      ...this.commandCenter.operations(),
    };
  }

  /** Every command sent, with its parameters (tests scan them for secrets). */
  commands(): CommandSnapshot[] {
    return this.commandCenter.snapshot();
  }

  /** The account's parameters, SecureStrings decrypted. */
  parameters(): ParameterSnapshot[] {
    return this.store.snapshot();
  }
}
