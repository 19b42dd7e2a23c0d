/**
 * Hostile values for property tests: shell syntax, unicode controls and bidi overrides, NUL, lone
 * surrogates, prototype keys, huge and odd numbers, deep nesting and wrong types.
 */
import fc from 'fast-check';

/** The file a payload creates if it ever runs: `touch CANARY` in the directory it runs in. */
export const CANARY = 'bakehouse-canary';

/** Shell payloads that would create the canary if any shell ran them. */
export const SHELL_PAYLOADS = [
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `; touch ${CANARY}`,
  `\ntouch ${CANARY}\n`,
  `' ; touch ${CANARY} ; '`,
  `"; touch ${CANARY}; "`,
  `| touch ${CANARY}`,
  `&& touch ${CANARY}`,
  `\${IFS}touch\${IFS}${CANARY}`,
  `$(touch\t${CANARY})`,
  `\nBAKEHOUSE_EOF\ntouch ${CANARY}\n`,
  `\nBAKEHOUSE_EOF_2\ntouch ${CANARY}\nBAKEHOUSE_EOF\n`,
  `\\\ntouch ${CANARY}`,
  `<(touch ${CANARY})`,
  `'\\''; touch ${CANARY}; echo '`,
];

/** Single characters and short strings that break naive parsers, renderers or headers. */
export const NASTY_PIECES = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202b',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200b',
  '\u200e',
  '\u200f',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '😀',
  '👩‍💻',
  'ﷺ',
  'مرحبا',
  'Ω',
  'İ',
  "'",
  '"',
  '\\',
  '`',
  '$',
  '${',
  '%s',
  '%n',
  '{{',
  '<script>',
  '&amp;',
  '../',
  '/',
  '*',
  '~',
  '-',
  '--',
  '#',
  ':',
  '@',
  '=',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'BAKEHOUSE_EOF',
  ...SHELL_PAYLOADS,
];

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf'];

/** Strings of nasty pieces and random code points (lone surrogates included). */
export const hostileString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_PIECES) },
    {
      weight: 3,
      arbitrary: fc.string({
        unit: fc.oneof(
          fc.constantFrom(...NASTY_PIECES),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
          fc.constantFrom('a', 'z', '0', '9', '.', '-', '_'),
        ),
        maxLength,
      }),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...NASTY_PIECES), fc.constantFrom('x', '€', '\u0000'))
        .chain(([piece, fill]) =>
          fc.integer({ min: 200, max: 5000 }).map((n) => piece + fill.repeat(n)),
        ),
    },
  );

/** Numbers at and beyond every edge a schema might have. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    22,
    1023,
    65536,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e21,
    1e308,
    -1e308,
    5e-324,
    Number.MAX_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Keys for objects: ordinary, prototype-polluting and hostile. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  hostileString(20),
  fc.constantFrom('name', 'image', 'seats', 'students', 'environment', 'apt', 'email'),
);

/** Any JSON value, with hostile leaves and keys, nested up to `depth`. */
export const hostileJson = (depth = 4): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      hostileString(),
      hostileNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
    ),
  })).value;

/** `depth` arrays inside each other: `[[[…]]]`. */
export const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A YAML "billion laughs": each level refers to the previous one `width` times. */
export function yamlBomb(levels = 9, width = 9): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let level = 1; level <= levels; level++) {
    const refs = Array.from({ length: width }, () => `*a${level - 1}`).join(', ');
    lines.push(`a${level}: &a${level} [${refs}]`);
  }
  return lines.join('\n');
}

/** A copy of `base` with the value at `path` replaced (or a key added), for mutating valid input. */
export function withValueAt(base: unknown, path: readonly (string | number)[], value: unknown) {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (
    Array.isArray(base) ? [...base] : typeof base === 'object' && base !== null ? { ...base } : {}
  ) as Record<string | number, unknown>;
  const inner = Object.hasOwn(copy, head) ? copy[head] : undefined;
  Object.defineProperty(copy, head, {
    value: withValueAt(inner, rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Every path into `value`'s objects and arrays (the root included). */
export function pathsIn(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (typeof value !== 'object' || value === null) return paths;
  const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [key, inner] of entries) paths.push(...pathsIn(inner, [...prefix, key]));
  return paths;
}

/**
 * `base` with one hostile change: a value replaced at some path, or an unknown or prototype key
 * added somewhere. Generated from a valid input, so parsing gets past the first field.
 */
export function mutated(base: unknown, leaf: fc.Arbitrary<unknown> = hostileJson(3)) {
  const paths = pathsIn(base);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...paths), leaf)
      .map(([path, value]) => withValueAt(base, path, value)),
    fc
      .tuple(fc.constantFrom(...paths), hostileKey, leaf)
      .map(([path, key, value]) => withValueAt(base, [...path, key], value)),
  );
}
