// An execution as the API reads it (DescribeExecution and the latest events of its history): what
// the bake status and the status of a class never stored are told from.
import type { ExecutionStatus } from '../teardown/class-status';

export interface ExecutionDetail {
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  /** The execution's output (JSON) once it has succeeded. */
  output?: unknown;
  error?: string;
  cause?: string;
  /** Names of the states it entered, the latest last (at most the last 100 events' worth). */
  entered: string[];
  /** Outputs of the states it exited, by state name, the latest of each. */
  exited: Record<string, unknown>;
}
