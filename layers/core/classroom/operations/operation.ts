// What an operation on a running class decides: nothing to do, or a record to write, schedules
// to cancel or move, and the step of the classroom machine to start now.
import { ConflictError } from '../../../base/errors';
import type { Tags } from '../../tags';
import { stepScheduleName } from '../plan/class-names';
import type { ClassRecord, OperationName } from '../record/class-record';
import type { StepInput } from '../record/steps';

/** An operation counts as under way this long after it was asked, unless its step cleared it. */
export const OPERATION_WINDOW_MINUTES = 15;

export interface Decision {
  /** `noop`: the class is already where the operation would take it (a repeat). */
  kind: 'noop' | 'run';
  /** The record to write (conditionally, at the version read); the record read for a noop. */
  record: ClassRecord;
  /** Full names of schedules to delete before the step starts. */
  cancel: string[];
  /** A schedule to create, or move to a new time if it exists (extend). */
  move?: { name: string; at: Date; input: StepInput; description: string };
  /**
   * Tags to set on every resource the class holds (instances, their volumes, its security group
   * and Elastic IPs): an extension of the last session moves their `expires-at`.
   */
  retag?: { classTags: Tags; tags: Tags };
  /** The execution of the classroom machine that carries the operation out. */
  execution?: { name: string; input: StepInput };
}

const when = (at: string | Date) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The execution an operation starts: named after the class and the version it was asked at, so a
 * retry of the same request (its answer lost) starts the same execution, never a second one.
 * At most 80 characters, as Step Functions allows.
 */
export const operationExecutionName = (record: ClassRecord, name: OperationName) =>
  stepScheduleName(record.plan, `${name}-${record.version}`).slice(0, 80);

/** The operation asked for recently and not yet carried out, if any. */
export function operationUnderWay(record: ClassRecord, now: Date) {
  const mark = record.operation;
  if (!mark) return undefined;
  const age = now.getTime() - Date.parse(mark.at);
  return age >= 0 && age < OPERATION_WINDOW_MINUTES * 60_000 ? mark : undefined;
}

export const noop = (record: ClassRecord): Decision => ({ kind: 'noop', record, cancel: [] });

/**
 * An operation that starts `input`'s step now. One of the same name already under way is
 * resumed (its execution started again under its own name, which starts nothing new); another
 * under way is a conflict.
 */
export function runStep(
  record: ClassRecord,
  name: OperationName,
  input: StepInput,
  now: Date,
  change: { cancel?: string[]; record?: ClassRecord } = {},
): Decision {
  const underWay = operationUnderWay(record, now);
  if (underWay && underWay.name !== name)
    throw new ConflictError(
      `class ${record.classId}: a ${underWay.name} is under way (asked at ${when(underWay.at)} UTC); try again once it is done`,
    );
  if (underWay)
    return {
      kind: 'run',
      record,
      cancel: change.cancel ?? [],
      execution: { name: underWay.execution, input },
    };
  const execution = operationExecutionName(record, name);
  const base = change.record ?? record;
  return {
    kind: 'run',
    record: {
      ...base,
      operation: { name, execution, at: now.toISOString() },
      updatedAt: now.toISOString(),
    },
    cancel: change.cancel ?? [],
    execution: { name: execution, input },
  };
}

/** Refuses, with why, an operation the class's state does not allow. */
export function refuse(record: ClassRecord, operation: OperationName, why: string): never {
  throw new ConflictError(
    `class ${record.classId} is ${record.state}: cannot ${operation}: ${why}`,
  );
}

export { when as utcMinute };
