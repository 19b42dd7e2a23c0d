/**
 * Run Command with AWS-RunShellScript: SendCommand to Online instances, then invocations that
 * appear shortly after, run Pending → InProgress → Success | Failed | TimedOut, and fail when
 * their instance stops running under them. A seat script that succeeds turns its instance into
 * a Jupyter seat (see seats.ts).
 */
import {
  type CommandInvocation,
  type CommandInvocationStatus,
  type CommandPluginStatus,
  type GetCommandInvocationRequest,
  type GetCommandInvocationResult,
  InvalidDocument,
  InvalidInstanceId,
  InvalidParameters,
  InvalidPluginName,
  InvocationDoesNotExist,
  type ListCommandInvocationsRequest,
  type ListCommandInvocationsResult,
  type SendCommandRequest,
  type SendCommandResult,
  type Target,
} from '@aws-sdk/client-ssm';
import { SECOND } from './clock';
import type { Ec2World, SimInstance } from './ec2-model';
import { fault, ssmFault } from './errors';
import type { FaultPlan } from './faults';
import { runScript, type ScriptRun, type SeatConfig, streamText, truncate } from './script-run';
import { managedInstances } from './ssm-agents';
import { operation, UnsimulatedOperationError } from './transport';

export interface SimInvocation {
  commandId: string;
  instanceId: string;
  sentAt: number;
  visibleAt: number;
  startAt: number;
  timeoutMs: number;
  run: ScriptRun;
  /** The seat settings in effect once this run succeeds (broken ones under seatAuthBroken). */
  seat?: SeatConfig;
  warmUpMs: number;
}

interface SimCommand {
  commandId: string;
  documentName: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets?: Target[];
  comment?: string;
  requestedAt: number;
  invocations: SimInvocation[];
}

export interface CommandSnapshot {
  commandId: string;
  documentName: string;
  instanceIds: string[];
  targets?: Target[];
  parameters: Record<string, string[]>;
  comment?: string;
  requestedAt: number;
}

interface View {
  status: CommandInvocationStatus;
  details: string;
  responseCode: number;
  startedAt?: number;
  endedAt?: number;
  /** How far into the run the output reaches. */
  outputUntil: number;
}

const PLUGIN = 'aws:runShellScript';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

export class CommandCenter {
  private readonly commands = new Map<string, SimCommand>();
  private readonly seated = new Set<string>();
  private readonly reported = new Set<SimInvocation>();

  constructor(
    private readonly world: Ec2World,
    private readonly faults: FaultPlan,
  ) {}

  snapshot(): CommandSnapshot[] {
    return [...this.commands.values()].map((c) => ({
      commandId: c.commandId,
      documentName: c.documentName,
      instanceIds: [...c.instanceIds],
      targets: structuredClone(c.targets),
      parameters: structuredClone(c.parameters),
      comment: c.comment,
      requestedAt: c.requestedAt,
    }));
  }

  /** The seat an instance serves now: the settings of its latest seat script that succeeded. */
  seatOn(instance: SimInstance, now: number): { config: SeatConfig; readyAt: number } | undefined {
    let best: { config: SeatConfig; readyAt: number; endedAt: number } | undefined;
    for (const command of this.commands.values()) {
      for (const inv of command.invocations) {
        if (inv.instanceId !== instance.instanceId || !inv.seat) continue;
        const view = this.view(inv, now);
        if (view?.status !== 'Success' || view.endedAt === undefined) continue;
        if (!best || view.endedAt > best.endedAt) {
          best = { config: inv.seat, readyAt: view.endedAt + inv.warmUpMs, endedAt: view.endedAt };
        }
      }
    }
    const since = this.world.runningSince(instance, now);
    if (!best || since === undefined) return undefined;
    const warmUp = best.readyAt - best.endedAt;
    return { config: best.config, readyAt: Math.max(best.readyAt, since + warmUp) };
  }

  private view(inv: SimInvocation, now: number): View | undefined {
    if (now < inv.visibleAt) return undefined;
    const instance = this.world.instances.get(inv.instanceId) as SimInstance;
    const timedOut = inv.run.duration > inv.timeoutMs;
    const end = inv.startAt + Math.min(inv.run.duration, inv.timeoutMs);
    const interrupted = this.world.leftRunningAt(instance, inv.sentAt);
    if (interrupted !== undefined && interrupted < end && now >= interrupted) {
      const delivered = interrupted >= inv.startAt;
      return {
        status: 'Failed',
        details: delivered ? 'Terminated' : 'Undeliverable',
        responseCode: -1,
        startedAt: delivered ? inv.startAt : undefined,
        endedAt: interrupted,
        outputUntil: interrupted - inv.startAt,
      };
    }
    if (now < inv.startAt)
      return { status: 'Pending', details: 'Pending', responseCode: -1, outputUntil: -1 };
    if (now < end)
      return {
        status: 'InProgress',
        details: 'InProgress',
        responseCode: -1,
        startedAt: inv.startAt,
        outputUntil: -1,
      };
    const outcome: Pick<View, 'status' | 'details' | 'responseCode'> = timedOut
      ? { status: 'TimedOut', details: 'ExecutionTimedOut', responseCode: -1 }
      : inv.run.exitCode === 0
        ? { status: 'Success', details: 'Success', responseCode: 0 }
        : { status: 'Failed', details: 'Failed', responseCode: inv.run.exitCode };
    return { ...outcome, startedAt: inv.startAt, endedAt: end, outputUntil: end - inv.startAt };
  }

  private observed(inv: SimInvocation, view: View): void {
    if (view.endedAt === undefined || this.reported.has(inv)) return;
    this.reported.add(inv);
    this.world.events.record(
      'SSM',
      `command ${inv.commandId.slice(0, 8)} on ${inv.instanceId}: ${view.status}`,
    );
  }

  private invocation(commandId: string | undefined, instanceId: string | undefined) {
    const inv = this.commands
      .get(commandId ?? '')
      ?.invocations.find((i) => i.instanceId === instanceId);
    const view = inv && this.view(inv, this.world.now());
    if (!inv || !view) {
      throw fault(
        InvocationDoesNotExist,
        'The command ID and instance ID you specified did not match any invocations. Verify the command ID and the instance ID and try again.',
      );
    }
    this.observed(inv, view);
    return { inv, view, command: this.commands.get(inv.commandId) as SimCommand };
  }

  private targets(input: SendCommandRequest, now: number): string[] {
    if (input.InstanceIds?.length && input.Targets?.length) {
      throw ssmFault('ValidationException', 'Specify either InstanceIds or Targets, not both.');
    }
    if (input.InstanceIds?.length) {
      if (input.InstanceIds.length > 50) {
        throw ssmFault(
          'ValidationException',
          `1 validation error detected: Value '[${input.InstanceIds.join(', ')}]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50`,
        );
      }
      const offline = input.InstanceIds.filter((id) => {
        const instance = this.world.instances.get(id);
        return !instance || !this.world.agentOnline(instance, now);
      });
      if (offline.length) {
        throw fault(
          InvalidInstanceId,
          `Instances [[${offline.join(', ')}]] not in a valid state for account ${this.world.account}`,
        );
      }
      return [...new Set(input.InstanceIds)];
    }
    const targets = input.Targets ?? [];
    if (targets.length === 0)
      throw ssmFault('ValidationException', 'Either InstanceIds or Targets must be specified.');
    if (targets.length > 5)
      throw ssmFault('ValidationException', 'Targets can contain at most 5 entries.');
    let chosen = managedInstances(this.world, now).filter((i) => this.world.agentOnline(i, now));
    for (const { Key = '', Values = [] } of targets) {
      if (Key === 'InstanceIds') chosen = chosen.filter((i) => Values.includes(i.instanceId));
      else if (Key.startsWith('tag:'))
        chosen = chosen.filter((i) => Values.includes(i.tags.get(Key.slice(4)) ?? '\0'));
      else if (Key === 'tag-key') chosen = chosen.filter((i) => Values.some((v) => i.tags.has(v)));
      else throw new UnsimulatedOperationError(`SendCommand target key ${Key} is not simulated`);
    }
    return chosen.map((i) => i.instanceId);
  }

  private send(input: SendCommandRequest): SendCommandResult {
    const { world } = this;
    const now = world.now();
    if (!input.DocumentName)
      throw ssmFault(
        'ValidationException',
        "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null",
      );
    if (input.DocumentName !== 'AWS-RunShellScript') {
      throw fault(
        InvalidDocument,
        `Document with name ${input.DocumentName} does not exist or is not simulated.`,
      );
    }
    const parameters = input.Parameters ?? {};
    const unknown = Object.keys(parameters).filter(
      (k) => !['commands', 'workingDirectory', 'executionTimeout'].includes(k),
    );
    if (unknown.length)
      throw fault(
        InvalidParameters,
        `Parameters [${unknown.join(', ')}] are not valid for document AWS-RunShellScript.`,
      );
    const commands = parameters.commands ?? [];
    if (commands.length === 0) throw fault(InvalidParameters, 'Parameter "commands" is required.');
    const timeout = Number(parameters.executionTimeout?.[0] ?? '3600');
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 172800) {
      throw fault(
        InvalidParameters,
        `Parameter "executionTimeout" has an invalid value: ${parameters.executionTimeout?.[0]}`,
      );
    }
    const instanceIds = this.targets(input, now);
    const script = commands.join('\n');
    const commandId = world.random.uuid();
    const invocations = instanceIds.map((instanceId): SimInvocation => {
      const fails = this.faults.takeCommandFailure(script);
      const run = runScript(
        script,
        world.random,
        fails ? { match: this.faults.commandFailureMatch } : undefined,
        instanceId,
      );
      const instance = world.instances.get(instanceId) as SimInstance;
      const cold = instance.coldImage && !this.seated.has(instanceId);
      if (run.seat) this.seated.add(instanceId);
      const visibleAt = now + world.random.between(0.2, 1.5) * SECOND;
      return {
        commandId,
        instanceId,
        sentAt: now,
        visibleAt,
        startAt: visibleAt + world.random.between(0.5, 2.5) * SECOND,
        timeoutMs: timeout * SECOND,
        run,
        seat: run.seat && (this.faults.takeBrokenSeat() ? this.brokenSeat(run.seat) : run.seat),
        warmUpMs: (cold ? world.random.latency(25, 55, 60) : world.random.between(1, 8)) * SECOND,
      };
    });
    const command: SimCommand = {
      commandId,
      documentName: input.DocumentName,
      parameters: structuredClone(parameters),
      instanceIds,
      targets: structuredClone(input.Targets),
      comment: input.Comment,
      requestedAt: now,
      invocations,
    };
    this.commands.set(commandId, command);
    world.events.record(
      'SSM',
      `command ${commandId.slice(0, 8)} sent to ${instanceIds.length} instance(s)${input.Comment ? `: ${input.Comment}` : ''}`,
    );
    return {
      Command: {
        CommandId: commandId,
        DocumentName: input.DocumentName,
        DocumentVersion: '$DEFAULT',
        Comment: input.Comment,
        ExpiresAfter: new Date(now + (input.TimeoutSeconds ?? 3600) * SECOND + timeout * SECOND),
        Parameters: structuredClone(parameters),
        InstanceIds: input.InstanceIds ?? [],
        Targets: input.Targets ?? [],
        RequestedDateTime: new Date(now),
        Status: 'Pending',
        StatusDetails: 'Pending',
        OutputS3BucketName: input.OutputS3BucketName ?? '',
        OutputS3KeyPrefix: input.OutputS3KeyPrefix ?? '',
        MaxConcurrency: input.MaxConcurrency ?? '50',
        MaxErrors: input.MaxErrors ?? '0',
        TargetCount: instanceIds.length,
        CompletedCount: 0,
        ErrorCount: 0,
        DeliveryTimedOutCount: 0,
        TimeoutSeconds: input.TimeoutSeconds ?? 3600,
      },
    };
  }

  /** The same settings shape with credentials nobody knows. */
  private brokenSeat(config: SeatConfig): SeatConfig {
    const { random } = this.world;
    const salt = Buffer.from(random.hex(32), 'hex').toString('base64').replace(/=+$/, '');
    const hash = Buffer.from(random.hex(64), 'hex').toString('base64').replace(/=+$/, '');
    return {
      ...config,
      PASSWORD_HASH: config.PASSWORD_HASH.replace(/\$[^$]+\$[^$]+$/, `$${salt}$${hash}`),
      TOKEN_SHA256: random.hex(64),
    };
  }

  operations() {
    return {
      SendCommand: operation((input: SendCommandRequest) => this.send(input)),

      GetCommandInvocation: operation(
        (input: GetCommandInvocationRequest): GetCommandInvocationResult => {
          if (input.PluginName && input.PluginName !== PLUGIN) {
            throw fault(InvalidPluginName, `The plugin name ${input.PluginName} is not valid.`);
          }
          if (!UUID.test(input.CommandId ?? '')) throw ssmFault('InvalidCommandId', '');
          const { inv, view, command } = this.invocation(input.CommandId, input.InstanceId);
          const done = view.endedAt !== undefined;
          const elapsed =
            view.startedAt === undefined
              ? undefined
              : (view.endedAt ?? this.world.now()) - view.startedAt;
          return {
            CommandId: inv.commandId,
            InstanceId: inv.instanceId,
            Comment: command.comment ?? '',
            DocumentName: command.documentName,
            DocumentVersion: '$DEFAULT',
            PluginName: PLUGIN,
            ResponseCode: view.responseCode,
            ExecutionStartDateTime: iso(view.startedAt),
            ExecutionElapsedTime: elapsed === undefined ? '' : `PT${(elapsed / 1000).toFixed(3)}S`,
            ExecutionEndDateTime: iso(view.endedAt),
            Status: view.status,
            StatusDetails: view.details,
            StandardOutputContent: done
              ? truncate(streamText(inv.run, 'stdout', view.outputUntil), 24_000)
              : '',
            StandardOutputUrl: '',
            StandardErrorContent: done
              ? truncate(
                  streamText(inv.run, 'stderr', view.outputUntil),
                  8_000,
                  '\n---Error truncated----',
                )
              : '',
            StandardErrorUrl: '',
            CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
          };
        },
      ),

      ListCommandInvocations: operation(
        (input: ListCommandInvocationsRequest): ListCommandInvocationsResult => {
          const now = this.world.now();
          const max = input.MaxResults ?? 50;
          if (max < 1 || max > 50)
            throw ssmFault(
              'ValidationException',
              `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50`,
            );
          const chosen = [...this.commands.values()]
            .filter((c) => !input.CommandId || c.commandId === input.CommandId)
            .flatMap((c) => c.invocations.map((inv) => ({ c, inv, view: this.view(inv, now) })))
            .filter(
              (r): r is typeof r & { view: View } =>
                r.view !== undefined &&
                (!input.InstanceId || r.inv.instanceId === input.InstanceId),
            );
          const offset = input.NextToken
            ? Number(Buffer.from(input.NextToken, 'base64').toString())
            : 0;
          const page = chosen.slice(offset, offset + max);
          return {
            CommandInvocations: page.map(({ c, inv, view }): CommandInvocation => {
              this.observed(inv, view);
              const done = view.endedAt !== undefined;
              const stdout = done ? streamText(inv.run, 'stdout', view.outputUntil) : '';
              const stderr = done ? streamText(inv.run, 'stderr', view.outputUntil) : '';
              return {
                CommandId: c.commandId,
                InstanceId: inv.instanceId,
                InstanceName: '',
                Comment: c.comment ?? '',
                DocumentName: c.documentName,
                DocumentVersion: '$DEFAULT',
                RequestedDateTime: new Date(c.requestedAt),
                Status: view.status,
                StatusDetails: view.details,
                StandardOutputUrl: '',
                StandardErrorUrl: '',
                CommandPlugins: input.Details
                  ? [
                      {
                        Name: PLUGIN,
                        Status: view.status as CommandPluginStatus,
                        StatusDetails: view.details,
                        ResponseCode: view.responseCode,
                        ResponseStartDateTime:
                          view.startedAt === undefined ? undefined : new Date(view.startedAt),
                        ResponseFinishDateTime:
                          view.endedAt === undefined ? undefined : new Date(view.endedAt),
                        Output: pluginOutput(stdout, stderr),
                        StandardOutputUrl: '',
                        StandardErrorUrl: '',
                      },
                    ]
                  : [],
              };
            }),
            NextToken:
              offset + max < chosen.length
                ? Buffer.from(String(offset + max)).toString('base64')
                : undefined,
          };
        },
      ),
    };
  }
}

/** The 2,500-character summary ListCommandInvocations shows, stderr after a separator. */
function pluginOutput(stdout: string, stderr: string): string {
  return truncate(stderr ? `${stdout}\n----------ERROR-------\n${stderr}` : stdout, 2500);
}
