import type { TeardownSettings } from '../../../layers/core/teardown/plan';

/** A dev stage in us-east-1 that keeps one image per recipe. */
export const DEV_SETTINGS: TeardownSettings = {
  stackName: 'bakehouse-dev',
  region: 'us-east-1',
  parameterPrefix: '/bakehouse/dev',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/bakehouse-dev-scheduler',
  keepImagesPerRecipe: 1,
  imageRetentionDays: 30,
};
