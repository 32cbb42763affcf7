// Splits one ajv standalone module into a chunk per action plus shared chunks, so that a process validating
// BootNotification loads BootNotification's code and the few definitions it uses — not the code of all 64 (2.0.1)
// or 91 (2.1) actions, nor every definition that two of them happen to share.
//
// The standalone output is a flat list of top-level declarations (`function validateN`, `const schemaN = {…}`,
// `const funcN = require(…)`) and `exports.X = validateN;` lines. We parse it with the TypeScript parser (text
// patterns would break on the first string that contains "function"), compute which actions reach each
// declaration, and place it:
//   reached by one action only            → that action's chunk
//   reached by a set of several actions   → the shared chunk of exactly that set (`_shared-<Definition>.cjs`)
//   reached by none                       → dropped (ajv emits schema objects that no code reads)
//   a `const` (runtime require, schema data) → copied into every chunk that uses it: a cached require costs
//                                            nothing, and the schema constants (enum values for error messages)
//                                            are a few hundred bytes, cheaper to repeat than to load from a file
// A shared chunk only ever depends on chunks of larger sets, so chunks never require each other in a cycle, and
// every definition's code exists once. Declaration order is kept, so `const` initialisers run before first use.
import { createHash } from 'node:crypto';
import ts from 'typescript';

export interface SplitInput {
  /** The ajv standalone module (CommonJS). */
  code: string;
  /** Export name (as passed to standaloneCode) → [action chunk, export name inside the chunk]. */
  exports: Map<string, [chunk: string, as: string]>;
}

export interface SplitOutput {
  /** Chunk name (an action, or `_shared-…` for shared code) → CommonJS source (without header). */
  chunks: Map<string, string>;
}

interface Decl {
  name: string;
  text: string;
  deps: Set<string>;
  /** A `const` (runtime require or schema data): copied into every chunk that uses it, never shared. */
  copied: boolean;
  users: Set<string>;
  chunk?: string;
}

export function splitStandalone({ code, exports }: SplitInput): SplitOutput {
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
    if (!name)
      throw new Error(
        `split: unexpected top-level statement in ajv standalone output: ${st.getText(sf).slice(0, 120)}`,
      );
    decls.set(name, {
      name,
      text: st.getText(sf),
      deps: new Set(),
      copied: ts.isVariableStatement(st),
      users: new Set(),
    });
  }
  for (const st of sf.statements) {
    const name = declaredName(st);
    if (name) collectDeps(st, name, decls, decls.get(name)!.deps);
  }

  // Which actions reach each declaration.
  const roots = new Map<string, Array<[string, string]>>(); // action chunk → [export as, declaration]
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

  // Place every declaration; shared ones by the exact set of actions that use them.
  const sharedBySet = new Map<string, Decl[]>();
  for (const d of decls.values()) {
    if (d.copied || d.users.size === 0) continue;
    if (d.users.size === 1) {
      d.chunk = [...d.users][0]!;
      continue;
    }
    const key = [...d.users].sort().join(',');
    if (!sharedBySet.has(key)) sharedBySet.set(key, []);
    sharedBySet.get(key)!.push(d);
  }
  for (const [key, members] of sharedBySet) {
    const name = sharedChunkName(members, key);
    for (const d of members) d.chunk = name;
  }

  const members = new Map<string, Decl[]>();
  for (const d of decls.values()) {
    if (!d.chunk) continue;
    if (!members.has(d.chunk)) members.set(d.chunk, []);
    members.get(d.chunk)!.push(d);
  }
  for (const chunk of roots.keys()) if (!members.has(chunk)) members.set(chunk, []);

  // Names each shared chunk must export: whatever another chunk takes from it.
  const exportsOf = new Map<string, Set<string>>();
  const importsOf = new Map<string, Map<string, Set<string>>>(); // chunk → (from chunk → names)
  const copiesOf = new Map<string, Set<string>>();
  const need = (chunk: string, name: string) => {
    const d = decls.get(name)!;
    if (d.copied) {
      if (!copiesOf.has(chunk)) copiesOf.set(chunk, new Set());
      copiesOf.get(chunk)!.add(name);
      // A copied constant may itself read another (none does today; keep it correct if ajv starts to).
      for (const dep of d.deps) need(chunk, dep);
    } else if (d.chunk !== chunk) {
      if (!importsOf.has(chunk)) importsOf.set(chunk, new Map());
      const from = importsOf.get(chunk)!;
      if (!from.has(d.chunk!)) from.set(d.chunk!, new Set());
      from.get(d.chunk!)!.add(name);
      if (!exportsOf.has(d.chunk!)) exportsOf.set(d.chunk!, new Set());
      exportsOf.get(d.chunk!)!.add(name);
    }
  };
  for (const [chunk, ds] of members) for (const d of ds) for (const dep of d.deps) need(chunk, dep);
  for (const [chunk, exps] of roots) for (const [, decl] of exps) need(chunk, decl);

  const chunks = new Map<string, string>();
  for (const chunk of [...members.keys()].sort()) {
    const lines = ['"use strict";'];
    for (const [from, names] of [...(importsOf.get(chunk) ?? new Map<string, Set<string>>())].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      lines.push(`const { ${[...names].sort().join(', ')} } = require(${JSON.stringify(`./${from}.cjs`)});`);
    }
    const copies = copiesOf.get(chunk) ?? new Set<string>();
    // Keep the original order: runtime requires and schema constants come before the functions that read them.
    for (const d of decls.values()) if (d.chunk === chunk || (d.copied && copies.has(d.name))) lines.push(d.text);
    for (const [as, decl] of roots.get(chunk) ?? []) lines.push(`exports.${as} = ${decl};`);
    for (const n of [...(exportsOf.get(chunk) ?? [])].sort()) lines.push(`exports.${n} = ${n};`);
    chunks.set(chunk, `${lines.join('\n')}\n`);
  }
  return { chunks };
}

/**
 * `_shared-<Definition>`: named after the alphabetically first definition whose validator it holds (ajv marks each
 * function with `sourceURL="urn:ocppkit:<v>:<Definition>"`), so the file list reads like the list of shared
 * datatypes; a hash of the set of actions if it holds no definition function.
 */
function sharedChunkName(members: Decl[], key: string): string {
  const defs = members
    .map((d) => /sourceURL="urn:ocppkit:[^:"]+:([^"]+)"/.exec(d.text)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
  return `_shared-${defs[0] ?? createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

function exportAssignment(st: ts.Statement): [string, string] | null {
  if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) return null;
  const { left, right, operatorToken } = st.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(right)) return null;
  if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression) || left.expression.text !== 'exports')
    return null;
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
function collectDeps(node: ts.Node, own: string, decls: Map<string, Decl>, into: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
        (ts.isPropertyAssignment(parent) && parent.name === n);
      if (!isPropertyName && n.text !== own && decls.has(n.text)) into.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
}
