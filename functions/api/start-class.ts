import { NoBodySchema } from '../../layers/core/api/schemas';
import { decideStart } from '../../layers/core/classroom/operations/stop-start';
import { classOperation } from './class-operation';

/**
 * POST /classrooms/{id}/start — start the seats now: a stopped session again, the next session
 * early, or a scheduled class's seating (the schedule it replaces cancelled). 404 unknown class,
 * 409 a class that cannot start, 200 one already running.
 */
export const handler = classOperation(NoBodySchema, (record, at) => decideStart(record, at));
