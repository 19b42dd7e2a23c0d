// The layering of layers/ and functions/, checked over source text: who may import whom, no cycles.
/**
 * base imports nothing of ours; core and runtime import base only; aws imports base, runtime and,
 * with `import type` only, core; functions import any layer; nothing in layers imports functions,
 * local, test or bench; only aws names the AWS SDK; no two files import each other in a circle.
 * Inline `import { type X }` does not count as type-only: under verbatimModuleSyntax it still
 * loads the module.
 */
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type * as TS from 'typescript';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;

export interface ImportRecord {
  specifier: string;
  typeOnly: boolean;
}

/** Every import, re-export, dynamic import() and require() of a file's source. */
export function importsOf(path: string, source: string): ImportRecord[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: ImportRecord[] = [];
  const visit = (node: TS.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.importClause?.isTypeOnly ?? false,
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

type Layer = 'base' | 'core' | 'runtime' | 'aws' | 'functions' | 'local' | 'test' | 'bench';

/** The layer a repository path belongs to, or undefined outside them. */
export function layerOf(path: string): Layer | undefined {
  const [top, second] = path.split('/');
  if (top === 'layers')
    return (['base', 'core', 'runtime', 'aws'] as const).find((layer) => layer === second);
  return (['functions', 'local', 'test', 'bench'] as const).find((layer) => layer === top);
}

/** What each checked layer may import, with value imports and with `import type`. */
const ALLOWED: Partial<Record<Layer, { value: Layer[]; type: Layer[] }>> = {
  base: { value: ['base'], type: ['base'] },
  core: { value: ['core', 'base'], type: ['core', 'base'] },
  runtime: { value: ['runtime', 'base'], type: ['runtime', 'base'] },
  aws: { value: ['aws', 'base', 'runtime'], type: ['aws', 'base', 'runtime', 'core'] },
  functions: {
    value: ['base', 'core', 'runtime', 'aws'],
    type: ['base', 'core', 'runtime', 'aws'],
  },
};

const SDK = /^@aws-sdk\/|^@smithy\//;

/** The repository path a relative specifier names, given the files that exist. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`])
    if (known.has(candidate)) return candidate;
  return base.endsWith('.ts') ? base : `${base}.ts`;
}

/** Every breach of the layering in `files` (repository path → source), one line each. */
export function layeringViolations(files: ReadonlyMap<string, string>): string[] {
  const known = new Set(files.keys());
  const violations: string[] = [];
  const edges = new Map<string, string[]>();
  for (const [path, source] of files) {
    const layer = layerOf(path);
    const allowed = layer && ALLOWED[layer];
    const targets: string[] = [];
    for (const { specifier, typeOnly } of importsOf(path, source)) {
      if (!specifier.startsWith('.')) {
        if (SDK.test(specifier) && layer !== 'aws')
          violations.push(`${path}: imports ${specifier}; only layers/aws talks to AWS`);
        continue;
      }
      const target = resolve(path, specifier, known);
      if (known.has(target)) targets.push(target);
      if (!allowed) continue;
      const targetLayer = layerOf(target);
      const ok = targetLayer && (typeOnly ? allowed.type : allowed.value).includes(targetLayer);
      if (!ok)
        violations.push(
          `${path}: ${typeOnly ? 'import type' : 'imports'} ${target} (${layer} → ${targetLayer ?? 'outside the layers'})`,
        );
    }
    edges.set(path, targets);
  }
  for (const cycle of cycles(edges)) violations.push(`import cycle among ${cycle.join(', ')}`);
  return violations;
}

/** The files that import each other in a circle: the strongly connected components (Tarjan). */
export function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = component.length === 1 && (edges.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) found.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) connect(node);
  return found;
}
