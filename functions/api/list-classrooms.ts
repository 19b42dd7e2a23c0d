import middy from '@middy/core';
import { listClasses } from '../../layers/aws/dynamodb';
import { classSummary } from '../../layers/core/api/class-status';
import { parseClassRecord } from '../../layers/core/classroom/record/class-record';
import { classStore } from '../../layers/runtime/config';
import { httpApi, Reply } from '../../layers/runtime/middleware';

/** GET /classrooms — every class in the class store, latest change first. */
export const handler = middy()
  .use(httpApi(null))
  .handler(async () => {
    const classes = (await listClasses(classStore())).map(parseClassRecord).map(classSummary);
    classes.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return new Reply(200, { classrooms: classes });
  });
