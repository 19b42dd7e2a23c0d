/**
 * The frame of a bake script: a runner that executes named phases in order, each at most once per
 * content. A phase records the hash of its own text in a marker file when it succeeds, so running
 * the script again skips what is already in place and redoes only what changed.
 *
 * Each phase's output goes to its own log file rather than to stdout: Run Command keeps only the
 * first 24,000 characters of output, which apt alone can fill. Stdout carries the phase log
 * (phase-log.ts): one line per phase event and, on failure, the tail of the failing phase's log
 * followed by the phase's FAILED line as the last line.
 */
import { createHash } from 'node:crypto';
import { shQuote } from '../shell';
import { phaseLogScript } from './phase-log';
import runner from './phase-runner.sh';

export interface Phase {
  /** Lower-case, `[a-z-]`: used in marker and log file names and in the output. */
  name: string;
  /** Shell functions the body calls; part of the phase's identity. */
  helpers?: string;
  body: string;
}

export interface ScriptLayout {
  stateDir: string;
  logDir: string;
}

export const DEFAULT_LAYOUT: ScriptLayout = {
  stateDir: '/var/lib/bakehouse/phases',
  logDir: '/var/log/bakehouse',
};

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A phase's identity: changes whenever anything it would run changes. */
export const phaseHash = (phase: Phase) =>
  sha256([phase.name, phase.helpers ?? '', phase.body].join('\n')).slice(0, 16);

const functionName = (phase: Phase) => `phase_${phase.name.replaceAll('-', '_')}`;

/**
 * `text` indented by two spaces, except the bodies and closing lines of heredocs, which must stay
 * byte for byte. Every heredoc here comes from `heredoc()`, so its opening line ends in `<<'DELIM'`
 * and DELIM occurs nowhere in its body.
 */
export function indent(text: string): string {
  let delimiter: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (delimiter !== undefined) {
        if (line === delimiter) delimiter = undefined;
        return line;
      }
      delimiter = /<<'([A-Za-z0-9_]+)'$/.exec(line)?.[1];
      return line ? `  ${line}` : line;
    })
    .join('\n');
}

/** The layout as shell settings, ahead of the runner that reads them. */
const layoutSettings = (layout: ScriptLayout) =>
  `readonly STATE_DIR=${shQuote(layout.stateDir)} LOG_DIR=${shQuote(layout.logDir)}`;

/** A file's text without its final newline, as parts are joined with blank lines. */
const chomp = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text);

/**
 * The whole script: shebang, `title` as comment lines, the layout, the phase log's writer, the
 * runner (phase-runner.sh), every phase's helpers and the phase as a function, and at the end the
 * run list, one `phase <name> <hash> <function>` line per phase in order.
 */
export function renderScript(
  title: string[],
  phases: Phase[],
  layout: ScriptLayout = DEFAULT_LAYOUT,
): string {
  const helpers = [...new Set(phases.flatMap((phase) => phase.helpers ?? []))].map(chomp);
  const functions = phases.map((phase) => `${functionName(phase)}() {\n${indent(phase.body)}\n}`);
  const runList = phases.map(
    (phase) => `phase ${phase.name} ${phaseHash(phase)} ${functionName(phase)}`,
  );
  const header = ['#!/usr/bin/env bash', ...title.map((line) => `# ${line}`)].join('\n');
  return [
    header,
    layoutSettings(layout),
    chomp(phaseLogScript),
    chomp(runner),
    ...helpers,
    ...functions,
    runList.join('\n'),
    '',
  ].join('\n\n');
}
