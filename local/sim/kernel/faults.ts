/** The faults a run was asked to inject (`Faults` in options.ts), spent as they fire. */
import type { CapacityFault, Faults } from './options';

export type ErrorKind = Faults['errors'][number]['kind'];

/** The Elastic IP quota of an account without `elasticIpLimit`: more than any class seats. */
export const RAISED_ELASTIC_IP_LIMIT = 10_000;

interface ErrorRule {
  call: string;
  kind: ErrorKind;
  every: number;
  left: number;
  seen: number;
}

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
  private copyFailures: number;
  private brokenSeats: number;
  private silentAgents: number;
  private commandTimeouts: number;
  private readonly errors: ErrorRule[];

  constructor(private readonly faults: Faults) {
    this.capacity = faults.capacity.map((f) => ({ ...f }));
    this.throttles = new Map(Object.entries(faults.throttle));
    this.commandFailures = faults.commandFails ? (faults.commandFails.count ?? Infinity) : 0;
    this.imageFailures = faults.imageFails;
    this.copyFailures = faults.copyFails;
    this.brokenSeats = faults.seatAuthBroken?.count ?? 0;
    this.silentAgents = faults.agentsNeverOnline;
    this.commandTimeouts = faults.commandTimesOut ? (faults.commandTimesOut.count ?? Infinity) : 0;
    this.errors = faults.errors.map((rule) => ({
      call: rule.call,
      kind: rule.kind,
      every: rule.every ?? 1,
      left: rule.count ?? Infinity,
      seen: 0,
    }));
  }

  /** The error kind this call of `service:operation` must be answered with, if any. */
  takeError(service: string, operation: string): ErrorKind | undefined {
    let fired: ErrorKind | undefined;
    for (const rule of this.errors) {
      const [s, o] = rule.call.split(':');
      const matches =
        rule.call === '*' ||
        (o === undefined ? s === operation : s === service && (o === '*' || o === operation));
      if (!matches || rule.left <= 0) continue;
      rule.seen += 1;
      if (rule.seen % rule.every !== 0 || fired) continue;
      rule.left -= 1;
      fired = rule.kind;
    }
    return fired;
  }

  /** True when the agent of the instance now booting must never register. */
  takeSilentAgent(): boolean {
    if (this.silentAgents <= 0) return false;
    this.silentAgents -= 1;
    return true;
  }

  /** True when a command running `script` must run past its timeout. */
  takeCommandTimeout(script: string): boolean {
    const match = this.faults.commandTimesOut?.match;
    if (this.commandTimeouts <= 0 || (match !== undefined && !script.includes(match))) return false;
    this.commandTimeouts -= 1;
    return true;
  }

  get agentNeverOnline(): boolean {
    return this.faults.agentNeverOnline;
  }

  /** Without the option, the account's quota was raised beyond any class (new accounts have 5). */
  get elasticIpLimit(): number {
    return this.faults.elasticIpLimit ?? RAISED_ELASTIC_IP_LIMIT;
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

  takeCopyFailure(): boolean {
    if (this.copyFailures <= 0) return false;
    this.copyFailures -= 1;
    return true;
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
