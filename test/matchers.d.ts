import 'vitest';
import type { CustomMatcher } from 'aws-sdk-client-mock-vitest';

declare module 'vitest' {
  // biome-ignore lint/correctness/noUnusedVariables: the parameters must match vitest's own
  interface Matchers<R, T> extends CustomMatcher<R, T> {}
}
