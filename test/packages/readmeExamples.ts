/**
 * The TypeScript examples of each package README, type-checked against the packages' sources:
 * every ```ts block of a README goes into one module (imports hoisted), and a README may name a
 * module of its own that the example imports (`./counter.ts` is the core README's counter).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The ```ts blocks of a Markdown text, in order. */
export function tsBlocksOf(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** One module of the blocks: their imports first, the rest after, each block in its own scope. */
export function moduleOf(blocks: readonly string[]): string {
  const imports: string[] = [];
  const bodies: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    imports.push(...lines.filter((line) => line.startsWith('import ')));
    bodies.push(lines.filter((line) => !line.startsWith('import ')).join('\n'));
  }
  return [...new Set(imports), ...bodies, 'export {};'].join('\n');
}

/** Type errors of the given files under the repository's compiler options. */
export function typeErrorsOf(files: readonly string[], tsconfigPath: string): string[] {
  const config = ts.readConfigFile(tsconfigPath, (path) => readFileSync(path, 'utf8'));
  const parsed = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    tsconfigPath.replace(/[^/]+$/, ''),
  );
  const program = ts.createProgram({ rootNames: files, options: parsed.options });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
    .map((d) => {
      const { line } = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: 0 };
      return `${d.file?.fileName}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
