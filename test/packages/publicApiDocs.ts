/**
 * Finds the public exports of a package entry point that lack TSDoc, with the TypeScript compiler
 * API: every symbol an entry file exports (followed through re-exports to its declaration) must
 * carry a JSDoc comment with text, and the listed entry points an `@example`. Exports that come
 * from outside the repository (the schema subpath re-exports Zod Mini) are not ours to document.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface DocFinding {
  readonly entry: string;
  readonly name: string;
  readonly problem: 'no TSDoc' | 'no @example' | 'not exported' | 'no @internal';
}

/** The section of an entry file whose exports are for the package's own specs only. */
export const internalSection = 'Internal (@internal)';

/** Names the entry file exports below its internal section's heading. */
function internalNamesOf(source: ts.SourceFile): Set<string> {
  const start = source.text.indexOf(internalSection);
  const names = new Set<string>();
  if (start === -1) return names;
  for (const statement of source.statements) {
    if (statement.getStart(source) < start || !ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (clause && ts.isNamedExports(clause))
      for (const e of clause.elements) names.add(e.name.text);
  }
  return names;
}

/** The `@coffee-es/source` entry files of a package's exports map. */
export function entryFilesOf(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, Record<string, string>>;
  };
  return Object.values(manifest.exports).flatMap((conditions) => {
    const source = conditions['@coffee-es/source'];
    return source === undefined ? [] : [join(packageDir, source)];
  });
}

/** One program over every entry file: resolving only relative imports keeps it fast. */
export function programOf(entries: readonly string[]): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) =>
      name.startsWith('.')
        ? { resolvedFileName: join(dirname(containingFile), name), extension: ts.Extension.Ts }
        : undefined,
    );
  return ts.createProgram({ rootNames: entries, options, host });
}

function jsDocsOf(declaration: ts.Declaration): ts.JSDoc[] {
  return ts
    .getJSDocCommentsAndTags(declaration)
    .filter((node): node is ts.JSDoc => ts.isJSDoc(node));
}

function hasText(doc: ts.JSDoc): boolean {
  const text =
    typeof doc.comment === 'string' ? doc.comment : ts.getTextOfJSDocComment(doc.comment);
  return (text ?? '').trim() !== '';
}

/** Findings for one entry file; `needExample` names the entry points that need an `@example`. */
export function undocumentedExports(
  program: ts.Program,
  entry: string,
  needExample: readonly string[] = [],
): DocFinding[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module the program holds`);
  const findings: DocFinding[] = [];
  const exported = new Set<string>();
  const internal = internalNamesOf(source);
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const name = symbol.getName();
    exported.add(name);
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = (target.declarations ?? []).filter(
      (declaration) => !declaration.getSourceFile().fileName.includes('node_modules'),
    );
    // An alias that does not resolve into the repository (Zod's names) has nothing of ours.
    if (declarations.length === 0) continue;
    const docs = declarations.flatMap(jsDocsOf);
    if (!docs.some(hasText)) {
      findings.push({ entry, name, problem: 'no TSDoc' });
      continue;
    }
    const hasExample = docs.some((doc) =>
      (doc.tags ?? []).some((tag) => tag.tagName.text === 'example'),
    );
    if (needExample.includes(name) && !hasExample) {
      findings.push({ entry, name, problem: 'no @example' });
    }
    const markedInternal = docs.some((doc) =>
      (doc.tags ?? []).some((tag) => tag.tagName.text === 'internal'),
    );
    if (internal.has(name) && !markedInternal) {
      findings.push({ entry, name, problem: 'no @internal' });
    }
  }
  for (const name of needExample) {
    if (!exported.has(name)) findings.push({ entry, name, problem: 'not exported' });
  }
  return findings;
}
