/** Corpus cases too large to keep as JSON: built here, each with the answer it must get. */
import { FULL_RECIPE, FUTURE_REQUEST } from '../fixtures';
import { nestedArrays } from '../hostile';

export interface LargeCase {
  case: string;
  route: 'bakes' | 'classrooms';
  body: () => string;
  contentType?: string;
  status: number;
  paths?: string[];
  /** A pattern the first issue's message must match. */
  message?: RegExp;
}

const { students: _students, ...classWithoutStudents } = FUTURE_REQUEST;

/** `count` students; each address as long as `emailLength` allows (at most 64 before the @). */
const students = (count: number, name: (i: number) => string, emailLength = 0) =>
  Array.from({ length: count }, (_, i) => ({
    name: name(i),
    email: `${`s${i}${emailLength > 0 ? `.${'x'.repeat(emailLength)}` : ''}`.slice(0, 64)}@example.org`,
  }));

export const LARGE_CASES: LargeCase[] = [
  {
    case: 'a 4 MB YAML body of nested lists (its 400 was 8 MB, over Lambda’s 6 MB)',
    route: 'bakes',
    contentType: 'application/yaml',
    body: () =>
      `name: x\nenvironment:\n  apt:\n${Array.from({ length: 150_000 }, (_, i) => `    - [[["BAD ${i}"]]]`).join('\n')}\n`,
    status: 400,
    paths: ['body'],
  },
  {
    case: '20,000 bad tag keys in 600 KB of JSON (60,000 gave an 11 MB 400)',
    route: 'bakes',
    body: () =>
      JSON.stringify({
        ...FULL_RECIPE,
        tags: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`bad$key${i}`, 'v'])),
      }),
    status: 400,
    paths: ['tags'],
  },
  {
    case: '1000 students with 90-character CJK names (StartExecution refused it: a 500)',
    route: 'classrooms',
    body: () =>
      JSON.stringify({
        ...classWithoutStudents,
        students: students(1000, (i) => `${'字'.repeat(90)} ${i}`),
      }),
    status: 400,
    paths: ['body'],
    message: /execution input of \d+ KiB, over Step Functions' limit of 256 KiB/,
  },
  {
    case: '845 students with 69-character CJK names (found by fast-check)',
    route: 'classrooms',
    body: () =>
      JSON.stringify({
        ...classWithoutStudents,
        students: students(845, (i) => `${'字'.repeat(69)} ${i}`, 69),
      }),
    status: 400,
    paths: ['body'],
    message: /Step Functions' limit/,
  },
  {
    case: '1000 students with ordinary names fit',
    route: 'classrooms',
    body: () =>
      JSON.stringify({ ...classWithoutStudents, students: students(1000, (i) => `Student ${i}`) }),
    status: 202,
  },
  {
    case: 'a recipe of three 64 KiB texts in a three-byte script',
    route: 'bakes',
    body: () =>
      JSON.stringify({
        ...FULL_RECIPE,
        environment: {
          postBuild: `# ${'字'.repeat(60_000)}\n`,
          requirements: `# ${'字'.repeat(60_000)}\n`,
          conda: `# ${'字'.repeat(60_000)}\nname: x\n`,
        },
      }),
    status: 400,
    paths: ['body'],
    message: /Step Functions' limit/,
  },
  {
    case: 'arrays nested 100,000 deep',
    route: 'classrooms',
    body: () => nestedArrays(100_000),
    status: 400,
  },
];
