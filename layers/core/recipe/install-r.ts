/**
 * Reads the package names out of a repo2docker install.R without running it. Only a small,
 * declarative subset of R is understood; anything else is refused rather than guessed at:
 *
 *   install.packages("a")                          utils::install.packages(c("a", "b"), repos = …)
 *   BiocManager::install(c("x", "y"), ask = FALSE)
 *   if (!requireNamespace("BiocManager", quietly = TRUE)) install.packages("BiocManager")
 *
 * String literals only (no escapes, variables or calls), `#` comments, statements separated by
 * newlines or `;`. Named arguments whose meaning is kept anyway (repos, ask, …) are accepted and
 * ignored; ones that would change what gets installed (lib, version, …) are refused.
 */

export interface RPackages {
  cran: string[];
  bioconductor: string[];
}

/** Why install.R was refused, with the line it happened on. */
export class InstallRError extends Error {
  override readonly name = 'InstallRError';
}

type Token =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'word'; value: string; line: number }
  | { kind: 'number'; value: string; line: number }
  | { kind: 'punct'; value: string; line: number }
  | { kind: 'end'; value: ';'; line: number };

const CRAN_CALLS = new Set(['install.packages', 'utils::install.packages']);
const BIOC_CALLS = new Set(['BiocManager::install']);
const IGNORED_ARGUMENTS: Record<string, ReadonlySet<string>> = {
  cran: new Set(['repos', 'dependencies', 'quiet', 'Ncpus', 'type', 'verbose']),
  bioconductor: new Set([
    'ask',
    'update',
    'quiet',
    'Ncpus',
    'dependencies',
    'force',
    'checkBuilt',
    'site_repository',
  ]),
};
const CONSTANTS = new Set(['TRUE', 'FALSE', 'T', 'F', 'NULL']);

export function packagesFromInstallR(source: string): RPackages {
  const tokens = tokenize(source);
  const found: RPackages = { cran: [], bioconductor: [] };
  let at = 0;
  const peek = (offset = 0): Token | undefined => tokens[at + offset];
  const problem = (message: string, token = peek()) =>
    new InstallRError(token ? `line ${token.line}: ${message}` : `at the end: ${message}`);
  const next = (): Token => {
    const token = tokens[at++];
    if (!token) throw problem('the file ends in the middle of a statement');
    return token;
  };
  const accept = (value: string): boolean => {
    const token = peek();
    if (token?.kind !== 'punct' || token.value !== value) return false;
    at++;
    return true;
  };
  const expect = (value: string): void => {
    const token = next();
    if (token.kind === 'string' || token.value !== value)
      throw problem(`expected "${value}"`, token);
  };
  const skipEnds = () => {
    while (peek()?.kind === 'end') at++;
  };

  /** `"a"` or `c("a", "b")`; with `named`, elements may be `NAME = "a"` (repos vectors). */
  const strings = (named: boolean): string[] => {
    const token = next();
    if (token.kind === 'string') return [token.value];
    if (token.kind !== 'word' || token.value !== 'c')
      throw problem('package names must be string literals', token);
    expect('(');
    const values: string[] = [];
    do {
      if (named && peek()?.kind === 'word' && peek(1)?.value === '=') at += 2;
      const item = next();
      if (item.kind !== 'string') throw problem('package names must be string literals', item);
      values.push(item.value);
    } while (accept(','));
    expect(')');
    return values;
  };

  const literal = (): void => {
    const token = peek();
    if (token?.kind === 'word' && token.value === 'c') {
      strings(true);
    } else if (
      token?.kind === 'string' ||
      token?.kind === 'number' ||
      (token?.kind === 'word' && CONSTANTS.has(token.value))
    ) {
      at++;
    } else {
      throw problem('only string, number and TRUE/FALSE/NULL values can be read', token);
    }
  };

  const namedArguments = (allowed: ReadonlySet<string> | undefined, callee: string): void => {
    while (accept(',')) {
      const argument = next();
      if (argument.kind !== 'word')
        throw problem('arguments after the package names must be named', argument);
      if (allowed && !allowed.has(argument.value)) {
        throw problem(`argument ${argument.value} of ${callee} is not supported`, argument);
      }
      expect('=');
      literal();
    }
  };

  const call = (): void => {
    const head = next();
    const target = CRAN_CALLS.has(head.value)
      ? 'cran'
      : BIOC_CALLS.has(head.value)
        ? 'bioconductor'
        : undefined;
    if (head.kind !== 'word' || target === undefined) {
      throw problem(
        `only install.packages(…) and BiocManager::install(…) can be read, not ${head.value}`,
        head,
      );
    }
    expect('(');
    if (peek()?.value === 'pkgs' && peek(1)?.value === '=') at += 2;
    const packages = strings(false);
    namedArguments(IGNORED_ARGUMENTS[target], head.value);
    expect(')');
    for (const name of packages) if (!found[target].includes(name)) found[target].push(name);
  };

  /** `if (!requireNamespace("X", …)) <call>`: the call is read, the guard is implied. */
  const guarded = (): void => {
    for (const value of ['if', '(', '!', 'requireNamespace', '(']) expect(value);
    const subject = next();
    if (subject.kind !== 'string')
      throw problem('requireNamespace needs a string literal', subject);
    namedArguments(undefined, 'requireNamespace');
    expect(')');
    expect(')');
    skipEnds();
    call();
  };

  skipEnds();
  while (at < tokens.length) {
    if (peek()?.kind === 'word' && peek()?.value === 'if') guarded();
    else call();
    if (at < tokens.length && peek()?.kind !== 'end')
      throw problem(`unexpected "${peek()?.value}" after a statement`);
    skipEnds();
  }
  return found;
}

/** Newlines inside parentheses continue a statement, as in R; at the top level they end one. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let depth = 0;
  let i = 0;
  const problem = (message: string) => new InstallRError(`line ${line}: ${message}`);
  while (i < source.length) {
    const char = source[i] ?? '';
    if (char === '\n' || char === ';') {
      if (depth === 0) tokens.push({ kind: 'end', value: ';', line });
      if (char === '\n') line++;
      i++;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      i++;
    } else if (char === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (char === '"' || char === "'") {
      const close = source.indexOf(char, i + 1);
      if (close === -1) throw problem('a string is not closed');
      const value = source.slice(i + 1, close);
      if (/[\\\n]/.test(value)) throw problem('strings with escapes or line breaks cannot be read');
      tokens.push({ kind: 'string', value, line });
      i = close + 1;
    } else if ('(),=!'.includes(char)) {
      if (char === '(') depth++;
      if (char === ')') depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'punct', value: char, line });
      i++;
    } else {
      const word =
        /^(?:[A-Za-z.][A-Za-z0-9._]*(?:::[A-Za-z.][A-Za-z0-9._]*)?|[0-9]+(?:\.[0-9]+)?L?)/.exec(
          source.slice(i),
        )?.[0];
      if (!word) throw problem(`unexpected character ${JSON.stringify(char)}`);
      tokens.push({ kind: /^[0-9]/.test(word) ? 'number' : 'word', value: word, line });
      i += word.length;
    }
  }
  return tokens;
}
