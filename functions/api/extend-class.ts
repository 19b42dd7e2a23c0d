import { ExtendBodySchema } from '../../layers/core/api/schemas';
import { decideExtend } from '../../layers/core/classroom/operations/extend';
import { classOperation } from './class-operation';

/**
 * POST /classrooms/{id}/extend `{ "end": ISO }` — the current session (the class, when it is the
 * last) ends then; its stop schedule moves there. 200 with the class status; 400 naming `end`,
 * 404 unknown class, 409 a class with no session to extend, or an end earlier than today's.
 */
export const handler = classOperation(ExtendBodySchema, (record, at, body) =>
  decideExtend(record, at, new Date(body.end)),
);
