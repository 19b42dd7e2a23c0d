/**
 * Quoting for the shell scripts bakehouse sends through SSM Run Command. Values that reach a
 * script are validated first; quoting is the second wall, not the only one.
 */

/**
 * One POSIX shell word that expands to exactly `value`: wrapped in single quotes, where nothing is
 * special, with each embedded `'` written as `'\''`. A NUL byte cannot be passed to a command at
 * all, so it is refused rather than silently dropped by the shell.
 */
export function shQuote(value: string): string {
  if (value.includes('\u0000')) throw new RangeError('a shell word cannot contain a NUL byte');
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A delimiter for a quoted heredoc around `text`: `base`, or `base_2`, `base_3`, … until it occurs
 * nowhere in `text` (stricter than bash needs, so no line can end the heredoc early).
 * Deterministic, so the same text always gives the same script.
 */
export function heredocDelimiter(text: string, base = 'BAKEHOUSE_EOF'): string {
  let delimiter = base;
  for (let n = 2; text.includes(delimiter); n++) delimiter = `${base}_${n}`;
  return delimiter;
}

/**
 * `command <<'DELIM'` followed by `text` verbatim and the closing delimiter. The quoted delimiter
 * turns off every expansion inside, so `$(…)`, backticks and `'` arrive unchanged. A heredoc body
 * always ends in a newline: one is added when `text` lacks it.
 */
export function heredoc(command: string, text: string, base?: string): string {
  if (text.includes('\u0000')) throw new RangeError('a heredoc cannot contain a NUL byte');
  const delimiter = heredocDelimiter(text, base);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${command} <<'${delimiter}'\n${body}${delimiter}`;
}

/**
 * Commands that write `text` to `path` byte for byte. A heredoc always ends in a newline, so
 * text without one is written with it and the newline is cut off again.
 */
export function writeFile(path: string, text: string): string {
  const write = heredoc(`cat >${shQuote(path)}`, text);
  return text.endsWith('\n') ? write : `${write}\ntruncate -s -1 ${shQuote(path)}`;
}

/** A line where a script file takes lines the TS side generates: `# bakehouse:slot NAME`. */
const SLOT = /^# bakehouse:slot ([a-z][a-z-]*)$/;

/**
 * `script` (a script file's text) with each slot line replaced by `blocks[NAME]`: settings as
 * quoted shell words, heredocs of files. A slot line is a comment, so the file is valid shell as
 * it stands and shellcheck reads all of it. Throws on a slot without a block, a block without a
 * slot, a slot that occurs twice and a line that mentions `bakehouse:slot` but is not a slot, so
 * a misspelt name never leaves a script without its settings.
 */
export function fillSlots(script: string, blocks: Readonly<Record<string, string>>): string {
  const filled = new Set<string>();
  const lines = script.split('\n').map((line) => {
    const name = SLOT.exec(line)?.[1];
    if (name === undefined) {
      if (line.includes('bakehouse:slot')) throw new RangeError(`not a slot line: ${line}`);
      return line;
    }
    if (filled.has(name)) throw new RangeError(`slot ${name} occurs twice`);
    if (!Object.hasOwn(blocks, name)) throw new RangeError(`nothing to fill slot ${name} with`);
    filled.add(name);
    return blocks[name];
  });
  const unused = Object.keys(blocks).filter((name) => !filled.has(name));
  if (unused.length > 0) throw new RangeError(`no slot named ${unused.join(', ')}`);
  return lines.join('\n');
}

/**
 * The value of `readonly NAME=VALUE` in a script file, where VALUE is one plain word: for TS code
 * that must agree with a constant the script defines. Throws unless the line occurs exactly once.
 */
export function readonlyValue(script: string, name: string): string {
  const pattern = new RegExp(`^readonly ${name}=([A-Za-z0-9_./:-]+)$`, 'gm');
  const values = [...script.matchAll(pattern)].map((match) => match[1]);
  if (values.length !== 1 || values[0] === undefined) {
    throw new RangeError(`expected one line "readonly ${name}=…", found ${values.length}`);
  }
  return values[0];
}
