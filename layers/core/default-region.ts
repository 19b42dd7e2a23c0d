// A recipe or classroom request that names no region is baked or seated in the stack's own.

/** `input` with `region` filled in when it is an object that names none (`region` unset: as is). */
export function withRegion(input: unknown, region: string | undefined): unknown {
  if (region === undefined || !input || typeof input !== 'object' || Array.isArray(input))
    return input;
  return 'region' in input ? input : { ...input, region };
}
