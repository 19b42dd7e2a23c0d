// What the teardown may do, one action per resource, each with its reason.
import type { FleetRecord } from './fleet';

export type TeardownAction =
  /** `region`, here and below: where the resource is when not the teardown's own region. */
  | { kind: 'terminate-instance'; id: string; reason: string; region?: string }
  | {
      kind: 'delete-image';
      id: string;
      snapshotIds: string[];
      reason: string;
      /** A copy's region; unset: the teardown's own region. */
      region?: string;
    }
  | { kind: 'delete-snapshot'; id: string; reason: string }
  | { kind: 'delete-parameters'; id: string; names: string[]; reason: string }
  | { kind: 'delete-schedule'; id: string; reason: string }
  | { kind: 'delete-security-group'; id: string; reason: string; region?: string }
  /** A seat's name (`id`, without the final dot): its record exactly as listed. */
  | {
      kind: 'delete-record';
      id: string;
      hostedZoneId: string;
      record: FleetRecord;
      reason: string;
    };
