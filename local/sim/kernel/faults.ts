/** The faults a run was asked to inject (`Faults` in options.ts), spent as they fire. */
import type { CapacityFault, Faults } from './options';

export interface CapacityRequest {
  az: string;
  instanceType: string;
  market: 'spot' | 'on-demand';
}

/**
 * The faults a run was asked to inject, consumed as they fire. Counts are "times": a fault with
 * `count: 2` fires twice and is then spent; without a count it fires every time.
 */
export class FaultPlan {
  private readonly capacity: CapacityFault[];
  private readonly throttles: Map<string, number>;
  private commandFailures: number;
  private imageFailures: number;
  private brokenSeats: number;

  constructor(private readonly faults: Faults) {
    this.capacity = faults.capacity.map((f) => ({ ...f }));
    this.throttles = new Map(Object.entries(faults.throttle));
    this.commandFailures = faults.commandFails ? (faults.commandFails.count ?? Infinity) : 0;
    this.imageFailures = faults.imageFails;
    this.brokenSeats = faults.seatAuthBroken?.count ?? 0;
  }

  get agentNeverOnline(): boolean {
    return this.faults.agentNeverOnline;
  }

  get elasticIpLimit(): number {
    return this.faults.elasticIpLimit ?? Infinity;
  }

  get vcpuLimit(): number {
    return this.faults.vcpuLimit ?? Infinity;
  }

  /** Is a capacity fault armed for this request? Does not consume it. */
  capacityFor(request: CapacityRequest): CapacityFault | undefined {
    return this.capacity.find(
      (f) =>
        (f.count ?? 1) > 0 &&
        (!f.az || f.az === request.az) &&
        (!f.instanceType || f.instanceType === request.instanceType) &&
        (!f.market || f.market === request.market),
    );
  }

  consumeCapacity(fault: CapacityFault): void {
    if (fault.count !== undefined) fault.count -= 1;
  }

  /** True when this call of `service:operation` must be throttled. */
  takeThrottle(service: string, operation: string): boolean {
    for (const key of [`${service}:${operation}`, operation]) {
      const left = this.throttles.get(key) ?? 0;
      if (left > 0) {
        this.throttles.set(key, left - 1);
        return true;
      }
    }
    return false;
  }

  /** True when a command running `script` must fail. */
  takeCommandFailure(script: string): boolean {
    const match = this.faults.commandFails?.match;
    if (this.commandFailures <= 0 || (match !== undefined && !script.includes(match))) return false;
    this.commandFailures -= 1;
    return true;
  }

  get commandFailureMatch(): string | undefined {
    return this.faults.commandFails?.match;
  }

  takeImageFailure(): boolean {
    if (this.imageFailures <= 0) return false;
    this.imageFailures -= 1;
    return true;
  }

  takeBrokenSeat(): boolean {
    if (this.brokenSeats <= 0) return false;
    this.brokenSeats -= 1;
    return true;
  }
}
