// Splits one ajv standalone module into a chunk per action plus one shared chunk, so that a process validating
// BootNotification loads BootNotification's code and the definitions it shares with others — not the code of all
// 64 (2.0.1) or 91 (2.1) actions. The standalone output is a flat list of top-level declarations (`function
// validateN`, `const schemaN = {…}`, `const funcN = require(…)`) and `exports.X = validateN;` lines; we parse it
// with the TypeScript parser (text patterns would break on the first string that contains "function"), compute
// which declarations each export reaches, and place every declaration:
//   reached by one action only   → that action's chunk
//   reached by several actions   → the shared chunk (which then holds every definition they have in common)
//   reached by none              → dropped (ajv emits schema objects that no code reads)
// Order of declarations is kept, so `const` initialisers still run before their first use.
import ts from 'typescript';

export interface SplitInput {
  /** The ajv standalone module (CommonJS). */
  code: string;
  /** Export name (as passed to standaloneCode) → [chunk name, export name inside the chunk]. */
  exports: Map<string, [chunk: string, as: string]>;
  /** File name of the shared chunk, as required from an action chunk (`./_shared-draft06.cjs`). */
  sharedRequire: string;
}

export interface SplitOutput {
  /** Chunk name → CommonJS source (without header). */
  chunks: Map<string, string>;
  /** The shared chunk's source, or null when nothing is shared. */
  shared: string | null;
}

interface Decl {
  name: string;
  text: string;
  deps: Set<string>;
  users: Set<string>;
}

export function splitStandalone({ code, exports, sharedRequire }: SplitInput): SplitOutput {
  const sf = ts.createSourceFile('standalone.js', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const decls = new Map<string, Decl>();
  const exported = new Map<string, string>(); // export name → declaration name

  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) continue; // "use strict"
    const exp = exportAssignment(st);
    if (exp) {
      exported.set(exp[0], exp[1]);
      continue;
    }
    const name = declaredName(st);
    if (!name) throw new Error(`split: unexpected top-level statement in ajv standalone output: ${st.getText(sf).slice(0, 120)}`);
    decls.set(name, { name, text: st.getText(sf), deps: new Set(), users: new Set() });
  }
  for (const st of sf.statements) {
    const name = declaredName(st);
    if (name) collectDeps(st, decls, decls.get(name)!.deps);
  }

  const roots = new Map<string, Array<[string, string]>>(); // chunk → [as, declaration]
  for (const [exportName, [chunk, as]] of exports) {
    const decl = exported.get(exportName);
    if (!decl) throw new Error(`split: ajv standalone output has no export ${exportName}`);
    if (!roots.has(chunk)) roots.set(chunk, []);
    roots.get(chunk)!.push([as, decl]);
    const stack = [decl];
    while (stack.length) {
      const d = decls.get(stack.pop()!)!;
      if (d.users.has(chunk)) continue;
      d.users.add(chunk);
      stack.push(...d.deps);
    }
  }

  const sharedDecls = [...decls.values()].filter((d) => d.users.size > 1);
  const sharedNames = new Set(sharedDecls.map((d) => d.name));
  const neededFromShared = new Set<string>();
  const chunks = new Map<string, string>();
  for (const [chunk, exps] of [...roots.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const own = [...decls.values()].filter((d) => d.users.size === 1 && d.users.has(chunk));
    const imports = new Set<string>();
    for (const d of own) for (const dep of d.deps) if (sharedNames.has(dep)) imports.add(dep);
    for (const [, decl] of exps) if (sharedNames.has(decl)) imports.add(decl);
    for (const i of imports) neededFromShared.add(i);
    const lines = ['"use strict";'];
    if (imports.size) lines.push(`const { ${[...imports].sort().join(', ')} } = require(${JSON.stringify(sharedRequire)});`);
    lines.push(...own.map((d) => d.text));
    lines.push(...exps.map(([as, decl]) => `exports.${as} = ${decl};`));
    chunks.set(chunk, `${lines.join('\n')}\n`);
  }

  const shared = sharedDecls.length
    ? `${['"use strict";', ...sharedDecls.map((d) => d.text), ...[...neededFromShared].sort().map((n) => `exports.${n} = ${n};`)].join('\n')}\n`
    : null;
  return { chunks, shared };
}

function exportAssignment(st: ts.Statement): [string, string] | null {
  if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) return null;
  const { left, right, operatorToken } = st.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(right)) return null;
  if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression) || left.expression.text !== 'exports') return null;
  return [left.name.text, right.text];
}

function declaredName(st: ts.Statement): string | null {
  if (ts.isFunctionDeclaration(st) && st.name) return st.name.text;
  if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
    const d = st.declarationList.declarations[0]!;
    if (ts.isIdentifier(d.name)) return d.name.text;
  }
  return null;
}

/** Top-level names a statement refers to (not property names, not its own name). */
function collectDeps(node: ts.Node, decls: Map<string, Decl>, into: Set<string>): void {
  const own = ts.isFunctionDeclaration(node) || ts.isVariableStatement(node) ? declaredName(node as ts.Statement) : null;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n);
      if (!isPropertyName && n.text !== own && decls.has(n.text)) into.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
}
