/**
 * One command's run on one instance, as Run Command reports it: invisible for a moment after
 * SendCommand, then Pending → InProgress → Success | Failed | TimedOut, or Failed when the
 * instance stops running under it. Output appears once the run has ended.
 */
import type {
  CommandInvocation,
  CommandInvocationStatus,
  CommandPluginStatus,
  GetCommandInvocationResult,
} from '@aws-sdk/client-ssm';
import type { Ec2World, SimInstance } from '../ec2/model';
import { type ScriptRun, type SeatConfig, streamText, truncate } from '../guest/script-run';

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

/** What the parent command contributes to an invocation's description. */
export interface CommandFacts {
  commandId: string;
  documentName: string;
  comment?: string;
  requestedAt: number;
}

export interface InvocationView {
  status: CommandInvocationStatus;
  details: string;
  responseCode: number;
  startedAt?: number;
  endedAt?: number;
  /** How far into the run (ms) the output reaches. */
  outputUntil: number;
}

export const PLUGIN = 'aws:runShellScript';
const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

/** The invocation at `now`, or undefined while Run Command does not show it yet. */
export function viewAt(
  world: Ec2World,
  inv: SimInvocation,
  now: number,
): InvocationView | undefined {
  if (now < inv.visibleAt) return undefined;
  const instance = world.instances.get(inv.instanceId) as SimInstance;
  const end = inv.startAt + Math.min(inv.run.duration, inv.timeoutMs);
  const interrupted = world.leftRunningAt(instance, inv.sentAt);
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
  if (now < inv.startAt) {
    return { status: 'Pending', details: 'Pending', responseCode: -1, outputUntil: -1 };
  }
  if (now < end) {
    return {
      status: 'InProgress',
      details: 'InProgress',
      responseCode: -1,
      startedAt: inv.startAt,
      outputUntil: -1,
    };
  }
  const outcome: Pick<InvocationView, 'status' | 'details' | 'responseCode'> =
    inv.run.duration > inv.timeoutMs
      ? { status: 'TimedOut', details: 'ExecutionTimedOut', responseCode: -1 }
      : inv.run.exitCode === 0
        ? { status: 'Success', details: 'Success', responseCode: 0 }
        : { status: 'Failed', details: 'Failed', responseCode: inv.run.exitCode };
  return { ...outcome, startedAt: inv.startAt, endedAt: end, outputUntil: end - inv.startAt };
}

function output(inv: SimInvocation, view: InvocationView, stream: 'stdout' | 'stderr'): string {
  return view.endedAt === undefined ? '' : streamText(inv.run, stream, view.outputUntil);
}

/** GetCommandInvocation: stdout's first 24,000 characters, stderr's first 8,000. */
export function invocationResult(
  command: CommandFacts,
  inv: SimInvocation,
  view: InvocationView,
  now: number,
): GetCommandInvocationResult {
  const elapsed = view.startedAt === undefined ? undefined : (view.endedAt ?? now) - view.startedAt;
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
    StandardOutputContent: truncate(output(inv, view, 'stdout'), 24_000),
    StandardOutputUrl: '',
    StandardErrorContent: truncate(output(inv, view, 'stderr'), 8_000, '\n---Error truncated----'),
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

/** ListCommandInvocations: with Details, the plugin's 2,500-character output summary. */
export function invocationEntry(
  command: CommandFacts,
  inv: SimInvocation,
  view: InvocationView,
  details: boolean,
): CommandInvocation {
  const stdout = output(inv, view, 'stdout');
  const stderr = output(inv, view, 'stderr');
  return {
    CommandId: command.commandId,
    InstanceId: inv.instanceId,
    InstanceName: '',
    Comment: command.comment ?? '',
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    RequestedDateTime: new Date(command.requestedAt),
    Status: view.status,
    StatusDetails: view.details,
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details
      ? [
          {
            Name: PLUGIN,
            Status: view.status as CommandPluginStatus,
            StatusDetails: view.details,
            ResponseCode: view.responseCode,
            ResponseStartDateTime:
              view.startedAt === undefined ? undefined : new Date(view.startedAt),
            ResponseFinishDateTime: view.endedAt === undefined ? undefined : new Date(view.endedAt),
            Output: truncate(
              stderr ? `${stdout}\n----------ERROR-------\n${stderr}` : stdout,
              2500,
            ),
            StandardOutputUrl: '',
            StandardErrorUrl: '',
          },
        ]
      : [],
  };
}
