import type { Filter } from '@aws-sdk/client-ec2';
import type { Tags } from '../core/tags';

export const tagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export const tagFilters = (tags: Tags): Filter[] =>
  Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
