import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectTruthfulAnswer, type Post, post, type Route, resetApi } from './api-support';
import { FULL_RECIPE, FUTURE_REQUEST } from './fixtures';
import { hostileJson, hostileString, mutated, nestedArrays, yamlBomb } from './hostile';
import { RUNS } from './support';

beforeEach(resetApi);

const contentTypes = fc.oneof(
  fc.constantFrom(
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/yaml',
    'text/yaml; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
    ';',
  ),
  hostileString(20),
);

const text = (valid: unknown) =>
  fc.oneof(
    mutated(valid).map((value) => JSON.stringify(value)),
    mutated(valid).map((value) => yaml.dump(value)),
    hostileJson(4).map((value) => JSON.stringify(value)),
    hostileString(200),
    fc.constantFrom(
      '',
      'null',
      '"name: x"',
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
      nestedArrays(100_000),
      yamlBomb(),
      `{"name": "${'\\ud800'.repeat(10)}"}`,
    ),
  );

const request = (valid: unknown): fc.Arbitrary<Post> =>
  fc
    .record({
      body: text(valid),
      contentType: contentTypes,
      headerName: fc.constantFrom('content-type', 'Content-Type'),
      encoding: fc.constantFrom('plain', 'base64', 'bytes'),
      bytes: fc.uint8Array({ maxLength: 64 }),
    })
    .map(({ body, contentType, headerName, encoding, bytes }) => ({
      body:
        encoding === 'plain'
          ? body
          : encoding === 'base64'
            ? Buffer.from(body).toString('base64')
            : Buffer.from(bytes).toString('base64'),
      contentType,
      headerName,
      isBase64Encoded: encoding !== 'plain',
    }));

describe.each([
  ['bakes', FULL_RECIPE],
  ['classrooms', FUTURE_REQUEST],
] as [Route, unknown][])('POST /%s with hostile requests', (route, valid) => {
  it('answers 202 or a bounded 400 naming the field, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(request(valid), async (sent) => {
        resetApi();
        expectTruthfulAnswer(await post(route, sent), sent);
      }),
      { numRuns: RUNS.api },
    );
  });
});

describe('POST /classrooms near the execution input limit', () => {
  const student = (length: number, char: string) => (i: number) => ({
    name: `${char.repeat(length)} ${i}`.slice(0, 100),
    email: `${`s${i}.${'x'.repeat(length)}`.slice(0, 64)}@example.org`,
  });

  it('starts the class or refuses it at the body with the cause, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom('a', 'ü', '字', '😀'),
        async (count, length, char) => {
          resetApi();
          const { students: _students, ...base } = FUTURE_REQUEST;
          const students = Array.from({ length: count }, (_, i) => student(length, char)(i));
          const sent = { body: JSON.stringify({ ...base, students }) };
          const answer = await post('classrooms', sent);
          expectTruthfulAnswer(answer, sent);
          if (answer.status === 400) {
            expect(answer.body.issues?.[0]?.message).toMatch(/Step Functions' limit of 256 KiB/);
          }
        },
      ),
      { numRuns: RUNS.files * 2 },
    );
  });
});
