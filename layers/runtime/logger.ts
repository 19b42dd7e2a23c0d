/**
 * Structured JSON logger. Every record passes through `redact`, so a credential that slips into
 * a log call is masked rather than written.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogRecord = { level: LogLevel; message: string; time: string } & Record<
  string,
  unknown
>;
export type LogSink = (record: LogRecord) => void;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|credential|authorization|cookie/i;
/** Keys that look secret but hold only public, non-sensitive data. */
const PUBLIC_KEYS = new Set(['clientToken', 'nextToken', 'NextToken', 'ClientToken']);

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && !PUBLIC_KEYS.has(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

const stdoutSink: LogSink = (record) => {
  process.stdout.write(`${JSON.stringify(record)}\n`);
};

let sink: LogSink = stdoutSink;
let threshold: LogLevel = 'info';

/** Route log records elsewhere (the local runner collects them; tests scan them). */
export function setLogSink(next: LogSink | undefined, level: LogLevel = threshold): void {
  sink = next ?? stdoutSink;
  threshold = level;
}

function write(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < order[threshold]) return;
  const safe = redact(fields) as Record<string, unknown>;
  sink({ ...safe, level, message, time: new Date().toISOString() });
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
