// The bake status GET /bakes/{id} answers: from the bake record the class store keeps once a bake
// has ended and from its execution (state, the latest step, what the polls of its scripts saw).
import { type BakeRecord, imageRegions } from '../bake-record';
import { readableCause } from '../failure';
import type { ExecutionDetail } from './execution-detail';
import type { BakeStatus, BakeSummary } from './schemas';
import { withoutArns } from './without-arns';

/** The bake machine's states by the stage they belong to, in the order a bake goes through them. */
export const BAKE_PHASES: readonly { phase: string; states: readonly string[] }[] = [
  {
    phase: 'validate',
    states: [
      'ValidateRecipe',
      'ReuseOrBake',
      'FindTestedImage',
      'IsTestedImageFound',
      'RejectRecipe',
    ],
  },
  { phase: 'launch', states: ['ResolveBaseImage', 'LaunchBuilder'] },
  {
    phase: 'agent',
    states: ['AwaitAgent', 'WaitForAgent', 'CheckAgent', 'IsAgentOnline', 'AgentNeverOnline'],
  },
  {
    phase: 'build',
    states: [
      'RunBuildScript',
      'WaitForBuildScript',
      'CheckBuildScript',
      'IsBuildScriptDone',
      'BuildScriptTimedOut',
    ],
  },
  {
    phase: 'image',
    states: [
      'CreateImage',
      'WaitForImage',
      'CheckImage',
      'IsImageAvailable',
      'ImageNeverAvailable',
    ],
  },
  {
    phase: 'test',
    states: [
      'TerminateBuilder',
      'LaunchImageTest',
      'AwaitTestAgent',
      'WaitForTestAgent',
      'CheckTestAgent',
      'IsTestAgentOnline',
      'TestAgentNeverOnline',
      'RunImageTest',
      'WaitForImageTest',
      'CheckImageTest',
      'IsImageTestDone',
      'ImageTestTimedOut',
      'PassImageTest',
    ],
  },
  {
    phase: 'copy',
    states: [
      'HasCopyRegions',
      'NoCopies',
      'CopyImage',
      'WaitForCopies',
      'CheckCopies',
      'AreCopiesAvailable',
      'CopiesNeverAvailable',
      'RecordCopies',
    ],
  },
  { phase: 'done', states: ['Baked', 'Reused'] },
  { phase: 'clean-up', states: ['CleanUp', 'BakeFailed', 'NameFailedSteps', 'CleanUpFailed'] },
];

const TAIL_CHARS = 2000;

const phaseOf = (state: string | undefined) =>
  BAKE_PHASES.findIndex((p) => state !== undefined && p.states.includes(state));

function tailOf(exited: Record<string, unknown>): string | null {
  const test = (exited.CheckImageTest as { testScript?: { outputTail?: unknown } } | undefined)
    ?.testScript?.outputTail;
  const build = (exited.CheckBuildScript as { script?: { outputTail?: unknown } } | undefined)
    ?.script?.outputTail;
  const tail = typeof test === 'string' ? test : typeof build === 'string' ? build : undefined;
  return tail === undefined ? null : withoutArns(tail.slice(-TAIL_CHARS));
}

interface BakeOutput {
  imageId?: string;
  region?: string;
  copies?: { region: string; imageId: string }[];
  reused?: boolean;
  tested?: boolean;
}

/** Where the image is: its own region first, then each copy (from the record, else the output). */
function regionsOf(record: BakeRecord | undefined, output: BakeOutput, imageId: string) {
  if (record?.imageId) return imageRegions(record);
  const home = output.region ? [{ region: output.region, id: imageId }] : [];
  return [...home, ...(output.copies ?? []).map((c) => ({ region: c.region, id: c.imageId }))];
}

/** The status of bake `id`: undefined when neither its record nor its execution exists. */
export function bakeStatus(
  id: string,
  record: BakeRecord | undefined,
  execution: ExecutionDetail | undefined,
): BakeStatus | undefined {
  if (!record && !execution) return undefined;
  const output = (execution?.output ?? {}) as BakeOutput;
  const ended = record?.state ?? (execution?.status === 'SUCCEEDED' ? 'baked' : undefined);
  const failed =
    record?.state === 'failed' ||
    (execution !== undefined &&
      !['RUNNING', 'PENDING_REDRIVE', 'SUCCEEDED'].includes(execution.status));
  const state = failed ? 'failed' : ended === 'baked' ? 'succeeded' : 'running';
  const last = execution?.entered.at(-1);
  const index = state === 'succeeded' ? BAKE_PHASES.length - 2 : phaseOf(last);
  const phase = BAKE_PHASES[index]?.phase ?? null;
  const imageId = record?.imageId ?? output.imageId;
  const cause = execution?.cause === undefined ? '' : readableCause(execution.cause);
  const failure = failed
    ? withoutArns(record?.failure ?? (cause || `the execution ended ${execution?.status}`))
    : null;
  // Ended: nothing is left to do. Running: the stages behind it, of those up to `done`.
  const progress = state === 'running' ? Math.max(0, index) / (BAKE_PHASES.length - 2) : 1;
  return {
    id,
    state,
    phase,
    progress: Math.min(1, progress),
    image:
      state === 'succeeded' && imageId
        ? {
            id: imageId,
            tested: record?.state === 'baked' || output.tested === true,
            regions: regionsOf(record, output, imageId),
          }
        : null,
    reused: output.reused === true,
    failure,
    outputTail: execution ? tailOf(execution.exited) : null,
    startedAt: execution?.startDate ?? null,
    endedAt: record?.endedAt ?? execution?.stopDate ?? null,
  };
}

/** One line of GET /bakes from a bake execution. */
export function bakeSummary(execution: {
  name: string;
  status: ExecutionDetail['status'];
  startDate: string;
  stopDate?: string;
}): BakeSummary {
  const state =
    execution.status === 'SUCCEEDED'
      ? 'succeeded'
      : execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE'
        ? 'running'
        : 'failed';
  return {
    id: execution.name,
    state,
    startedAt: execution.startDate,
    endedAt: execution.stopDate ?? null,
  };
}
