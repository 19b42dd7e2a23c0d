import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fillSlots,
  heredoc,
  heredocDelimiter,
  readonlyValue,
  shQuote,
  writeFile,
} from '../../layers/core/shell';

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

describe('fillSlots', () => {
  const script = '#!/bin/bash\nset -euo pipefail\n# bakehouse:slot settings\necho "$PORT"\n';

  it('puts each block where its slot line was, and leaves every other line as it is', () => {
    // Act
    const filled = fillSlots(script, { settings: "PORT='8888'\nUSER='ada'" });

    // Assess
    expect(filled).toBe(
      "#!/bin/bash\nset -euo pipefail\nPORT='8888'\nUSER='ada'\necho \"$PORT\"\n",
    );
  });

  it.each<[string, string, Record<string, string>, RegExp]>([
    ['a slot without a block', script, {}, /nothing to fill slot settings/],
    ['a block without a slot', script, { settings: '', setings: '' }, /no slot named setings/],
    ['a slot that occurs twice', `${script}# bakehouse:slot settings\n`, { settings: '' }, /twice/],
    ['a misspelt slot line', '#  bakehouse:slot settings\n', { settings: '' }, /not a slot line/],
    ['a slot named like an object property', '# bakehouse:slot constructor\n', {}, /nothing/],
  ])('throws on %s', (_case, template, blocks, message) => {
    // Act
    const fill = () => fillSlots(template, blocks);

    // Assess
    expect(fill).toThrow(message);
  });
});

describe('readonlyValue', () => {
  it('reads the one plain word a script assigns to a constant', () => {
    // Act
    const unit = readonlyValue('readonly UNIT=jupyter.service\nreadonly UNITS=x\n', 'UNIT');

    // Assess
    expect(unit).toBe('jupyter.service');
  });

  it.each([
    ['is missing', 'readonly OTHER=x\n'],
    ['occurs twice', 'readonly UNIT=a\nreadonly UNIT=b\n'],
    ['is not a plain word', 'readonly UNIT="$(id)"\n'],
  ])('throws when the constant %s', (_case, script) => {
    // Act
    const read = () => readonlyValue(script, 'UNIT');

    // Assess
    expect(read).toThrow(/expected one line/);
  });
});
