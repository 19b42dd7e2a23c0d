import { NoBodySchema } from '../../layers/core/api/schemas';
import { decideDelete } from '../../layers/core/classroom/operations/delete';
import { classOperation } from './class-operation';

/**
 * DELETE /classrooms/{id} — the class is deleted now, and its retirement step terminates its
 * seats, cancels their spot requests and deletes credentials, schedules, Elastic IPs and its
 * security group. 404 unknown class, 409 a class being seated, 200 one already deleted.
 */
export const handler = classOperation(NoBodySchema, (record, at) => decideDelete(record, at));
