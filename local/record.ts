/**
 * Records every AWS request the functions send, as the SDK command carries it, tagged with the
 * serverless.yml function key that sent it (null for calls outside any function, e.g. a test's
 * own set-up). One request is one JSON line:
 *
 *   {"function":"launchBuilder","service":"ec2","operation":"RunInstances","input":{…}}
 *
 * The recording middleware sits in the SDK's `initialize` step ahead of the simulator's, so it
 * sees the input exactly as the adapter built it, whether the call then succeeds or fails.
 * Blobs and dates, which JSON has no type for, are written as `{"$bytes": base64}` and
 * `{"$date": ISO-8601}`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetadataBearer, Pluggable } from '@smithy/types';

export interface RecordedRequest {
  function: string | null;
  /** The client's service, lower case: ec2, ssm, sesv2, scheduler, sfn. */
  service: string;
  /** The API operation, e.g. RunInstances. */
  operation: string;
  /** The region of the client that sent it; unset when the recorder was not told. */
  region?: string;
  input: Record<string, unknown>;
}

const invoking = new AsyncLocalStorage<string>();

/** Runs `work` as function `functionKey`: every AWS request inside it is tagged with that key. */
export function asFunction<T>(functionKey: string, work: () => T): T {
  return invoking.run(functionKey, work);
}

/** A deep copy of a command input that keeps blobs and dates (structuredClone keeps both). */
const copyOf = (input: object) => structuredClone(input) as Record<string, unknown>;

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  private readonly sinks: ((request: RecordedRequest) => void)[] = [];

  /** Also hand every request to `sink` as it is sent. */
  onRequest(sink: (request: RecordedRequest) => void): this {
    this.sinks.push(sink);
    return this;
  }

  /** Also append every request to `file` as a JSON line (the file is emptied first). */
  toFile(file: string): this {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    return this.onRequest((request) => appendFileSync(file, `${toJsonLine(request)}\n`));
  }

  /** The middleware for clients of `region` (each request records it). */
  plugin(region?: string): Pluggable<object, MetadataBearer> {
    return {
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            const request: RecordedRequest = {
              function: invoking.getStore() ?? null,
              service: (context.clientName ?? '').replace(/Client$/, '').toLowerCase(),
              operation: (context.commandName ?? '').replace(/Command$/, ''),
              ...(region === undefined ? {} : { region }),
              input: copyOf(args.input as object),
            };
            this.requests.push(request);
            for (const sink of this.sinks) sink(request);
            return next(args);
          },
          {
            step: 'initialize',
            priority: 'high',
            name: 'bakehouseRequestRecorder',
            override: true,
          },
        );
      },
    };
  }
}

/** Both plugins on every client, `first` ahead of `then` within the same step. */
export function bothPlugins(
  first: Pluggable<object, MetadataBearer>,
  then: Pluggable<object, MetadataBearer>,
): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) => {
      first.applyToStack(stack);
      then.applyToStack(stack);
    },
  };
}

export function toJsonLine(request: RecordedRequest): string {
  return JSON.stringify(request, function (key, value) {
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
    if (original instanceof Date) return { $date: original.toISOString() };
    return value;
  });
}

export function fromJsonLine(line: string): RecordedRequest {
  return JSON.parse(line, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && typeof value.$bytes === 'string')
        return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
      if (keys.length === 1 && typeof value.$date === 'string') return new Date(value.$date);
    }
    return value;
  });
}
