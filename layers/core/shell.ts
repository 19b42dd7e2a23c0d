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
