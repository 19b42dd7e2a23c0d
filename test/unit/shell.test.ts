import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heredoc, heredocDelimiter, shQuote, writeFile } from '../../layers/core/shell';

const NASTY = [
  '',
  'plain',
  "it's",
  "''",
  "'\\''",
  'two words',
  '$(touch /tmp/pwned)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, meant literally
  '$HOME ${PATH} $1 $@ $$',
  'a;b|c&d>e<f',
  '"double" \\back\\slash\\',
  'line\nbreak\n',
  '\t\r tabs and returns',
  '*?[glob] ~user {a,b}',
  '!history -- --flag',
  'ünïcödé ✓ 🎓',
];

function bash(script: string) {
  return spawnSync('/bin/bash', ['-c', script], { encoding: 'utf8' });
}

describe('shQuote', () => {
  it.each(NASTY.map((value) => [JSON.stringify(value), value]))(
    'passes %s to a command unchanged',
    (_label, value) => {
      // Act
      const result = bash(`printf %s ${shQuote(value)}`);

      // Assess
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(value);
    },
  );

  it('makes one word of a string with spaces and quotes', () => {
    // Act
    const result = bash(`set -- ${shQuote("a b 'c' d")}; echo $#`);

    // Assess
    expect(result.stdout).toBe('1\n');
  });

  it('refuses a NUL byte, which no shell word can hold', () => {
    // Act
    const act = () => shQuote('a\u0000b');

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('heredocDelimiter', () => {
  it('is the base when the text does not contain it', () => {
    // Act
    const delimiter = heredocDelimiter('echo hello\n');

    // Assess
    expect(delimiter).toBe('BAKEHOUSE_EOF');
  });

  it('picks the first numbered variant the text does not contain, the same every time', () => {
    // Prepare
    const text = 'BAKEHOUSE_EOF\nBAKEHOUSE_EOF_2\n';

    // Act
    const first = heredocDelimiter(text);
    const second = heredocDelimiter(text);

    // Assess
    expect(first).toBe('BAKEHOUSE_EOF_3');
    expect(second).toBe(first);
  });
});

describe('heredoc and writeFile', () => {
  it('feeds text with every kind of expansion to a command unexpanded', () => {
    // Prepare
    const text = '$(touch /tmp/pwned) `id` $HOME \\n \'"\nBAKEHOUSE_EOF\n';

    // Act
    const result = bash(heredoc('cat', text));

    // Assess
    expect(result.stdout).toBe(text);
  });

  it.each([
    ['with a final newline', 'line one\nline two\n'],
    ['without a final newline', 'no newline at the end'],
    ['with several final newlines', 'blank lines follow\n\n\n'],
    ['that is empty', ''],
    ['holding the delimiter and a heredoc of its own', "BAKEHOUSE_EOF\ncat <<'EOF'\n$(id)\nEOF\n'"],
    ['with carriage returns and tabs', 'a\r\n\tb\r\n'],
  ])('writes a file %s byte for byte', (_what, text) => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), 'bakehouse-shell-')), "it's a file");

    // Act
    const result = bash(writeFile(path, text));

    // Assess
    expect(result.stderr).toBe('');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
