import middy from '@middy/core';
import * as z from 'zod';
import { terminateInstances } from '../../layers/aws/ec2';
import { deleteScriptObject } from '../../layers/aws/s3';
import { instanceArn, scriptObjectKey } from '../../layers/core/script-object/script-object';
import { config } from '../../layers/runtime/config';
import { logged, taskInput } from '../../layers/runtime/middleware';

const Input = z.object({ region: z.string(), instanceId: z.string(), bakeId: z.string().min(1) });

/** Ends the builder and deletes the script object it may have fetched (none: S3 says done). */
export const handler = middy()
  .use(logged('terminateBuilder'))
  .use(taskInput(Input))
  .handler(async ({ region, instanceId, bakeId }: z.infer<typeof Input>) => {
    const { SCRIPT_BUCKET, ACCOUNT_ID, AWS_REGION } = config();
    const terminated = await terminateInstances(region, [instanceId]);
    await deleteScriptObject(AWS_REGION, {
      bucket: SCRIPT_BUCKET,
      key: scriptObjectKey(bakeId, instanceArn(region, ACCOUNT_ID, instanceId)),
    });
    return { terminated };
  });
