/**
 * `npm run file-length [root]` (part of `npm run lint`): fails on a TypeScript file over 250 lines
 * under lib/, functions/, cdk/, scripts/, bench/ or test/, unless the comment at its top gives the
 * reason in a line `Longer than 250 lines because <reason>`. Biome's noExcessiveLinesPerFile is
 * not used: it counts from the first token to the last and leaves comment lines out, so a 271-line
 * file passed it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

export const maxLines = 250;
const checkedFolders = ['lib', 'functions', 'cdk', 'scripts', 'bench', 'test'];
const skippedFolders = new Set(['node_modules', 'dist', 'cdk.out', 'results']);
const reasonLine = /Longer than 250 lines because \S/;

/** Lines as an editor numbers them: a final newline does not start another line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The comments before the first line of code (blank lines between them included). */
export function topComment(text: string): string {
  const head: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (inBlock) {
      head.push(line);
      if (trimmed.includes('*/')) inBlock = false;
    } else if (trimmed.startsWith('/*')) {
      head.push(line);
      inBlock = !trimmed.includes('*/', 2);
    } else if (trimmed.startsWith('//') || trimmed === '' || trimmed.startsWith('#!')) {
      head.push(line);
    } else {
      break;
    }
  }
  return head.join('\n');
}

async function* typeScriptFiles(folder: string): AsyncGenerator<string> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) yield* typeScriptFiles(path);
    } else if (entry.isFile() && /\.[cm]?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

export interface LongFile {
  readonly file: string;
  readonly lines: number;
}

/** The files under `root` that are too long and say no reason at their top. */
export async function longFilesWithoutReason(root: string): Promise<LongFile[]> {
  const found: LongFile[] = [];
  for (const folder of checkedFolders) {
    for await (const path of typeScriptFiles(join(root, folder))) {
      const text = await readFile(path, 'utf8');
      const lines = lineCount(text);
      if (lines > maxLines && !reasonLine.test(topComment(text))) {
        found.push({ file: relative(root, path), lines });
      }
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? '.');
  const long = await longFilesWithoutReason(root);
  for (const { file, lines } of long) {
    console.error(
      `${file}: ${lines} lines (over ${maxLines}; split it, or give the reason at its top)`,
    );
  }
  if (long.length > 0) process.exit(1);
  console.log(`no file over ${maxLines} lines without a reason`);
}
