/** What EC2's Describe* calls share: filters with wildcards, pagination, tags and id checks. */
import type { Filter, TagSpecification } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import type { Tags } from './model';

/** A resource paired with its state at the moment it is described. */
export type Stated<R> = { resource: R; state: string };

/** Values a resource offers for each supported filter name (`tag:*`, `tag-key` come free). */
export type FilterFields<R> = Record<string, (resource: R) => (string | undefined)[]>;

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/\\?[*?]|[.+^${}()|[\]\\]/g, (m) => {
    if (m === '*') return '.*';
    if (m === '?') return '.';
    return m.startsWith('\\') && m.length === 2 ? `\\${m[1]}` : `\\${m}`;
  });
  return new RegExp(`^${body}$`);
}

function valuesFor<R>(
  name: string,
  resource: R,
  fields: FilterFields<R>,
  tags: (r: R) => Tags,
): (string | undefined)[] {
  if (name.startsWith('tag:')) return [tags(resource).get(name.slice(4))];
  if (name === 'tag-key') return [...tags(resource).keys()];
  if (name === 'tag-value') return [...tags(resource).values()];
  return (fields[name] as (r: R) => (string | undefined)[])(resource);
}

/** Keep the resources matching every filter (AND), any value of each (OR), like EC2. */
export function applyFilters<R>(
  resources: R[],
  filters: Filter[] | undefined,
  fields: FilterFields<R>,
  tags: (r: R) => Tags,
): R[] {
  if (!filters?.length) return resources;
  const compiled = filters.map((filter) => {
    const name = filter.Name ?? '';
    const known = name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value';
    if (!known && !(name in fields)) {
      throw ec2Fault('InvalidParameterValue', `The filter '${name}' is invalid`);
    }
    return { name, patterns: (filter.Values ?? []).map(wildcard) };
  });
  return resources.filter((resource) =>
    compiled.every(({ name, patterns }) =>
      valuesFor(name, resource, fields, tags).some(
        (value) => value !== undefined && patterns.some((p) => p.test(value)),
      ),
    ),
  );
}

export interface Page<R> {
  items: R[];
  nextToken?: string;
}

/** Offset pagination behind an opaque token, with EC2's MaxResults bounds. */
export function paginate<R>(
  items: R[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  bounds: { min: number; max: number } = { min: 5, max: 1000 },
): Page<R> {
  if (maxResults !== undefined && (maxResults < bounds.min || maxResults > bounds.max)) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
    );
  }
  const offset = nextToken === undefined ? 0 : decodeToken(nextToken);
  if (maxResults === undefined) return { items: items.slice(offset) };
  const end = offset + maxResults;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(end) : undefined,
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, offset })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw ec2Fault('InvalidPaginationToken', `Invalid pagination token: ${token}`);
}

const RESERVED_TAG = /^aws:/i;

/** Tags for `resourceType` from TagSpecifications, validated as EC2 does. */
export function tagsFor(
  specs: TagSpecification[] | undefined,
  resourceType: string,
  allowed: readonly string[],
): Tags {
  const tags: Tags = new Map();
  for (const spec of specs ?? []) {
    if (!spec.ResourceType || !allowed.includes(spec.ResourceType)) {
      throw ec2Fault(
        'InvalidParameterValue',
        `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
    }
    // EC2 refuses a specification without tags: `InvalidParameterValue: Tag specification must
    // have at least one tag` (moto's EmptyTagSpecError models AWS's answer; packer-plugin-amazon#141
    // shows the same message from EC2).
    if (!spec.Tags?.length)
      throw ec2Fault('InvalidParameterValue', 'Tag specification must have at least one tag');
    if (spec.ResourceType !== resourceType) continue;
    for (const { Key, Value } of spec.Tags) addTag(tags, Key, Value);
  }
  return tags;
}

export function addTag(tags: Tags, key: string | undefined, value: string | undefined): void {
  if (!key || key.length > 128) {
    throw ec2Fault('InvalidParameterValue', `Tag key must be 1-128 characters: '${key ?? ''}'`);
  }
  if (RESERVED_TAG.test(key)) {
    throw ec2Fault(
      'InvalidParameterValue',
      "Tag keys starting with 'aws:' are reserved for internal use",
    );
  }
  if ((value ?? '').length > 256) {
    throw ec2Fault('InvalidParameterValue', `Tag value for key '${key}' exceeds 256 characters`);
  }
  tags.set(key, value ?? '');
  if (tags.size > 50)
    throw ec2Fault('TagLimitExceeded', 'The maximum number of tags (50) was exceeded');
}

/** `i-0123…` style ids; anything else is Malformed before it can be NotFound. */
export function checkId(id: string, prefix: string, code: string): void {
  if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) {
    throw ec2Fault(`${code}.Malformed`, `Invalid id: "${id}" (expecting "${prefix}-...")`);
  }
}

export function required<T>(value: T | undefined | null, parameter: string): T {
  if (value === undefined || value === null || value === '') {
    throw ec2Fault('MissingParameter', `The request must contain the parameter ${parameter}`);
  }
  return value;
}
