import { NoBodySchema } from '../../layers/core/api/schemas';
import { decideStop } from '../../layers/core/classroom/operations/stop-start';
import { classOperation } from './class-operation';

/**
 * POST /classrooms/{id}/stop — stop the seats now (the stop step, started at once); the session
 * stays stopped until its end, when its own stop comes. 404 unknown class, 409 a class with no
 * seat to stop, 200 one already stopped.
 */
export const handler = classOperation(NoBodySchema, (record, at) => decideStop(record, at));
