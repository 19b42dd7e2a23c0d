/**
 * Puts the simulator behind the real SDK v3 `Command` objects.
 *
 * The plugin adds one middleware at the end of the `initialize` step. It answers every command
 * from the simulator and never calls `next`, so nothing after it runs: no serialization, no
 * credential resolution, no signing, no retry loop, no HTTP. Clients therefore need no
 * credentials at all (tests may still pass fake ones), and a command the simulator does not know
 * throws `UnsimulatedOperationError` instead of slipping through to the network.
 *
 * Because the SDK's retry middleware sits later in the stack, simulated errors (throttling,
 * capacity, …) reach the caller on the first attempt, exactly once: the simulator is stricter
 * than a real client with `maxAttempts`, never laxer, and every throttle shows up in the counts.
 */
import type { InitializeHandlerOutput, MetadataBearer, Pluggable } from '@smithy/types';
import { injected, throttled, withRequestId } from './errors';
import type { FaultPlan } from './faults';
import type { Random } from './random';

/**
 * One simulated API operation. Input arrives as a deep copy of the SDK command's input; the
 * answer must be built fresh for each call, never a reference into the simulator's state.
 */
export type Operation = (input: Record<string, unknown>, call?: Call) => object | Promise<object>;
export type Operations = Record<string, Operation>;

/** What an operation knows of the call besides its input. */
export interface Call {
  /** The region of the client that sent it; undefined for the cloud's own calls and old plugins. */
  region?: string;
}

/** Type the input of an operation by the SDK's own `…CommandInput`. */
export function operation<I>(fn: (input: I, call: Call) => object | Promise<object>): Operation {
  return (input, call) => fn(input as I, call ?? {});
}

export class UnsimulatedOperationError extends Error {
  override readonly name = 'UnsimulatedOperationError';
}

interface Service {
  operations: Operations;
  /** Request-rate admission (EC2's buckets); false throttles the call. */
  admit?: (operation: string, input: Record<string, unknown>) => boolean;
}

const THROTTLE_NAMES = new Set([
  'RequestLimitExceeded',
  'ThrottlingException',
  'TooManyRequestsException',
]);

export class Router {
  readonly calls: Record<string, number> = {};
  readonly throttled: Record<string, number> = {};
  /** Calls answered with any other error. */
  readonly failed: Record<string, number> = {};
  private readonly services = new Map<string, Service>();

  private beforeCall: () => void = () => {};

  constructor(
    private readonly random: Random,
    private readonly faults: FaultPlan,
  ) {}

  /** Run `hook` before every call: work that fell due lazily, such as firing schedules. */
  beforeEachCall(hook: () => void): void {
    this.beforeCall = hook;
  }

  /** Serve `service` ('EC2', 'SSM', 'SESv2', 'Scheduler', or any `<Name>Client` prefix). */
  register(service: string, operations: Operations, admit?: Service['admit']): void {
    const existing = this.services.get(service);
    this.services.set(service, {
      operations: { ...existing?.operations, ...operations },
      admit: admit ?? existing?.admit,
    });
  }

  /** A call from a client: counted, possibly throttled, then answered. */
  async call(service: string, name: string, input: object, region?: string): Promise<object> {
    const key = `${service}:${name}`;
    this.calls[key] = (this.calls[key] ?? 0) + 1;
    try {
      this.beforeCall();
      const { op, admit } = this.resolve(service, name);
      const copy = structuredClone(input) as Record<string, unknown>;
      if (this.faults.takeThrottle(service, name) || (admit && !admit(name, copy))) {
        throw throttled(service);
      }
      const error = this.faults.takeError(service, name);
      if (error) throw injected(service, error);
      return await op(copy, { region });
    } catch (error) {
      if (error instanceof Error && THROTTLE_NAMES.has(error.name)) {
        this.throttled[key] = (this.throttled[key] ?? 0) + 1;
      } else {
        this.failed[key] = (this.failed[key] ?? 0) + 1;
      }
      throw error;
    }
  }

  /** A call made by the cloud itself (a schedule firing): not counted, never throttled. */
  internal(service: string, name: string, input: object): object | Promise<object> {
    const { op } = this.resolve(service, name);
    return op(structuredClone(input) as Record<string, unknown>, {});
  }

  /** The middleware for clients of `region` (undefined: the account's own region). */
  plugin(region?: string): Pluggable<object, MetadataBearer> {
    return {
      applyToStack: (stack) => {
        stack.add(
          (_next, context) => async (args) => {
            const service = context.clientName?.replace(/Client$/, '');
            const name = context.commandName?.replace(/Command$/, '');
            if (!service || !name) {
              throw new UnsimulatedOperationError('command without clientName/commandName');
            }
            const requestId = this.random.uuid();
            try {
              const result = await this.call(service, name, args.input, region);
              const $metadata = { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 };
              return {
                output: { ...result, $metadata },
                response: {},
              } as InitializeHandlerOutput<MetadataBearer>;
            } catch (error) {
              throw withRequestId(error, requestId);
            }
          },
          { step: 'initialize', priority: 'low', name: 'bakehouseSimulatedAws', override: true },
        );
      },
    };
  }

  private resolve(service: string, name: string): { op: Operation; admit?: Service['admit'] } {
    const entry = this.services.get(service);
    const op = entry?.operations[name];
    if (!entry || !op) {
      throw new UnsimulatedOperationError(
        `the simulated AWS does not implement ${service}:${name}; add it to local/sim or avoid the call`,
      );
    }
    return { op, admit: entry.admit };
  }
}
