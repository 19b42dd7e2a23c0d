/**
 * Run Command with AWS-RunShellScript: SendCommand to Online instances, then one invocation per
 * instance (see invocations.ts). A seat script that succeeds turns its instance into a
 * Jupyter seat (see seat-network.ts); the latest successful one wins.
 */
import {
  type GetCommandInvocationRequest,
  type GetCommandInvocationResult,
  InvalidPluginName,
  InvocationDoesNotExist,
  type ListCommandInvocationsRequest,
  type ListCommandInvocationsResult,
  type ListCommandsRequest,
  type ListCommandsResult,
  type SendCommandRequest,
  type SendCommandResult,
  type Target,
} from '@aws-sdk/client-ssm';
import type { Ec2World, SimInstance } from '../ec2/model';
import { brokenSeat } from '../guest/cloud-init';
import { fetchedScript, fetchFailed } from '../guest/script-fetch';
import { runScript, type SeatConfig } from '../guest/script-run';
import { SECOND } from '../kernel/clock';
import { fault, ssmFault } from '../kernel/errors';
import type { FaultPlan } from '../kernel/faults';
import { operation } from '../kernel/transport';
import type { SimulatedS3 } from '../s3/s3';
import {
  type CommandFacts,
  type InvocationView,
  invocationEntry,
  invocationResult,
  PLUGIN,
  type SimInvocation,
  viewAt,
} from './invocations';
import { shellCommand, targetInstances } from './send-checks';

interface SimCommand extends CommandFacts {
  parameters: Record<string, string[]>;
  instanceIds: string[];
  targets?: Target[];
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

export interface Seat {
  config: SeatConfig;
  /** When Jupyter answers: after the script's warm-up, or after the latest boot's. */
  readyAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NO_INVOCATION =
  'The command ID and instance ID you specified did not match any invocations. Verify the command ID and the instance ID and try again.';

export class CommandCenter {
  private readonly commands = new Map<string, SimCommand>();
  private readonly seatRuns = new Map<string, SimInvocation[]>();
  private readonly reported = new Set<SimInvocation>();

  constructor(
    private readonly world: Ec2World,
    private readonly faults: FaultPlan,
    /** The account's S3 objects, which a command that names one fetches. */
    private readonly objects?: Pick<SimulatedS3, 'read'>,
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

  /** Every seat script sent to an instance, oldest first (read-only: benchmarks read the draws). */
  seatRunsOn(instanceId: string): readonly SimInvocation[] {
    return this.seatRuns.get(instanceId) ?? [];
  }

  /** The seat an instance serves now, from its latest seat script that succeeded. */
  seatOn(instance: SimInstance, now: number): Seat | undefined {
    let latest: { inv: SimInvocation; endedAt: number } | undefined;
    for (const inv of this.seatRuns.get(instance.instanceId) ?? []) {
      const view = this.view(inv, now);
      if (view?.status !== 'Success' || view.endedAt === undefined) continue;
      if (!latest || view.endedAt > latest.endedAt) latest = { inv, endedAt: view.endedAt };
    }
    const since = this.world.runningSince(instance, now);
    if (!latest?.inv.seat || since === undefined) return undefined;
    const { inv, endedAt } = latest;
    return { config: inv.seat as SeatConfig, readyAt: Math.max(endedAt, since) + inv.warmUpMs };
  }

  private view(inv: SimInvocation, now: number): InvocationView | undefined {
    const view = viewAt(this.world, inv, now);
    if (view?.endedAt !== undefined && !this.reported.has(inv)) {
      this.reported.add(inv);
      this.world.events.record(
        'SSM',
        `command ${inv.commandId.slice(0, 8)} on ${inv.instanceId}: ${view.status}`,
      );
    }
    return view;
  }

  private send(input: SendCommandRequest, region?: string): SendCommandResult {
    const { world } = this;
    const now = world.now();
    const shell = shellCommand(input);
    const instanceIds = targetInstances(world, input, now, region);
    const commandId = world.random.uuid();
    const invocations = instanceIds.map((instanceId) =>
      this.invoke(commandId, instanceId, shell, now),
    );
    const command: SimCommand = {
      commandId,
      documentName: shell.documentName,
      comment: input.Comment,
      requestedAt: now,
      parameters: structuredClone(shell.parameters),
      instanceIds,
      targets: structuredClone(input.Targets),
      invocations,
    };
    this.commands.set(commandId, command);
    world.events.record(
      'SSM',
      `command ${commandId.slice(0, 8)} sent to ${instanceIds.length} instance(s)${input.Comment ? `: ${input.Comment}` : ''}`,
    );
    const deliveryTimeout = input.TimeoutSeconds ?? 3600;
    return {
      Command: {
        CommandId: commandId,
        DocumentName: shell.documentName,
        DocumentVersion: '$DEFAULT',
        Comment: input.Comment,
        ExpiresAfter: new Date(now + (deliveryTimeout + shell.timeoutSeconds) * SECOND),
        Parameters: structuredClone(shell.parameters),
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
        TimeoutSeconds: deliveryTimeout,
      },
    };
  }

  /** Decide now how the script will go on this instance: timing, output, outcome, seat. */
  private invoke(
    commandId: string,
    instanceId: string,
    shell: { script: string; timeoutSeconds: number },
    now: number,
  ): SimInvocation {
    const { world, faults } = this;
    const fetched = fetchedScript(
      shell.script,
      `arn:aws:ec2:${world.region}:${world.account}:instance/${instanceId}`,
      (bucket, key) => this.objects?.read(bucket, key),
    );
    const script = fetched && 'script' in fetched ? fetched.script : shell.script;
    const fails = faults.takeCommandFailure(script);
    const ran =
      fetched && 'failure' in fetched
        ? fetchFailed(fetched.failure)
        : runScript(
            script,
            world.random,
            fails ? { match: faults.commandFailureMatch } : undefined,
            instanceId,
          );
    const run = faults.takeCommandTimeout(script)
      ? { ...ran, seat: undefined, exitCode: 1, duration: (shell.timeoutSeconds + 60) * SECOND }
      : ran;
    const instance = world.instances.get(instanceId) as SimInstance;
    const earlierSeats = this.seatRuns.get(instanceId) ?? [];
    const cold = instance.coldImage && earlierSeats.length === 0;
    const visibleAt = now + world.random.between(0.2, 1.5) * SECOND;
    const inv: SimInvocation = {
      commandId,
      instanceId,
      sentAt: now,
      visibleAt,
      startAt: visibleAt + world.random.between(0.5, 2.5) * SECOND,
      timeoutMs: shell.timeoutSeconds * SECOND,
      run,
      seat:
        run.seat && (faults.takeBrokenSeat() ? brokenSeat(run.seat, this.world.random) : run.seat),
      warmUpMs: (cold ? world.random.latency(25, 55, 60) : world.random.between(1, 8)) * SECOND,
    };
    if (inv.seat) this.seatRuns.set(instanceId, [...earlierSeats, inv]);
    return inv;
  }

  operations() {
    return {
      SendCommand: operation((input: SendCommandRequest, { region }) => this.send(input, region)),

      GetCommandInvocation: operation(
        (input: GetCommandInvocationRequest): GetCommandInvocationResult => {
          if (input.PluginName && input.PluginName !== PLUGIN) {
            throw fault(InvalidPluginName, `The plugin name ${input.PluginName} is not valid.`);
          }
          // The API reference's errors: InvalidCommandId, "the specified command ID isn't
          // valid", for an id that is malformed or names no command of the account (moto answers
          // the same); InvocationDoesNotExist, "the command ID and managed node ID you specified
          // didn't match any invocations", for a command that was not sent to that instance, or
          // whose invocation Run Command does not show yet.
          const command = UUID.test(input.CommandId ?? '')
            ? this.commands.get(input.CommandId ?? '')
            : undefined;
          if (!command) throw ssmFault('InvalidCommandId', 'The command ID is not valid.');
          const now = this.world.now();
          const inv = command.invocations.find((i) => i.instanceId === input.InstanceId);
          const view = inv && this.view(inv, now);
          if (!inv || !view) throw fault(InvocationDoesNotExist, NO_INVOCATION);
          return invocationResult(command, inv, view, now);
        },
      ),

      // ListCommands (SSM API Reference): CommandId, InstanceId, up to 5 Filters (InvokedAfter,
      // InvokedBefore, DocumentName are modelled here), MaxResults 1–50, NextToken; newest first.
      ListCommands: operation((input: ListCommandsRequest): ListCommandsResult => {
        const max = input.MaxResults ?? 50;
        if (max < 1 || max > 50)
          throw ssmFault(
            'ValidationException',
            `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50`,
          );
        const filters = input.Filters ?? [];
        if (filters.length > 5)
          throw ssmFault('ValidationException', 'Member must have length less than or equal to 5');
        const keep = (c: SimCommand) =>
          filters.every(({ key, value }) => {
            if (key === 'InvokedAfter') return c.requestedAt >= Date.parse(value ?? '');
            if (key === 'InvokedBefore') return c.requestedAt <= Date.parse(value ?? '');
            if (key === 'DocumentName') return c.documentName === value;
            throw ssmFault('InvalidFilterKey', `The filter key ${key} is not modelled here.`);
          });
        const matching = [...this.commands.values()]
          .filter(
            (c) =>
              (!input.CommandId || c.commandId === input.CommandId) &&
              (!input.InstanceId || c.instanceIds.includes(input.InstanceId)) &&
              keep(c),
          )
          .reverse();
        const offset = input.NextToken
          ? Number(Buffer.from(input.NextToken, 'base64').toString())
          : 0;
        return {
          Commands: matching.slice(offset, offset + max).map((c) => ({
            CommandId: c.commandId,
            DocumentName: c.documentName,
            Comment: c.comment,
            InstanceIds: [...c.instanceIds],
            Targets: structuredClone(c.targets) ?? [],
            RequestedDateTime: new Date(c.requestedAt),
            TargetCount: c.instanceIds.length,
          })),
          NextToken:
            offset + max < matching.length
              ? Buffer.from(String(offset + max)).toString('base64')
              : undefined,
        };
      }),

      ListCommandInvocations: operation(
        (input: ListCommandInvocationsRequest): ListCommandInvocationsResult => {
          const now = this.world.now();
          const max = input.MaxResults ?? 50;
          if (max < 1 || max > 50) {
            throw ssmFault(
              'ValidationException',
              `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50`,
            );
          }
          const visible = [...this.commands.values()]
            .filter((c) => !input.CommandId || c.commandId === input.CommandId)
            .flatMap((command) =>
              command.invocations.map((inv) => ({ command, inv, view: this.view(inv, now) })),
            )
            .filter(
              (r) =>
                r.view !== undefined &&
                (!input.InstanceId || r.inv.instanceId === input.InstanceId),
            );
          const offset = input.NextToken
            ? Number(Buffer.from(input.NextToken, 'base64').toString())
            : 0;
          return {
            CommandInvocations: visible
              .slice(offset, offset + max)
              .map(({ command, inv, view }) =>
                invocationEntry(command, inv, view as InvocationView, Boolean(input.Details)),
              ),
            NextToken:
              offset + max < visible.length
                ? Buffer.from(String(offset + max)).toString('base64')
                : undefined,
          };
        },
      ),
    };
  }
}
