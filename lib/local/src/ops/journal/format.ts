/**
 * The journal's JSON Lines format, version 1. One line per journal item, as DynamoDB holds it
 * (attribute values in DynamoDB JSON): raw items, not decoded commits, so that everything a
 * stream is made of comes back byte for byte (commits with their snapshots, replies, refusals and
 * tags; durable-state records; refusal notes; unique-key claims) without the exporter having to
 * know every item kind. A header line opens the file and a trailer closes it, so that an import
 * tells a whole export from one cut short.
 *
 * ```
 * {"format":"coffee-es.journal","version":1,"exportId":"…","table":"…","exportedAt":"…"}
 * {"item":{"pk":{"S":"Order#o1"},"sk":{"N":"1"},"kind":{"S":"commit"},…}}
 * {"end":true,"items":2}
 * ```
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A journal item as DynamoDB holds it. */
export type RawItem = Record<string, AttributeValue>;

/** The `format` an export's header names: what `journal import` reads. */
export const journalFormat = 'coffee-es.journal';
/** The version of that format an export is written in (an import refuses a later one). */
export const journalFormatVersion = 1;

/** The first line of an export. */
export interface ExportHeader {
  readonly format: typeof journalFormat;
  readonly version: number;
  /** Names this export; an import interrupted part-way resumes only with the same one. */
  readonly exportId: string;
  readonly table: string;
  readonly exportedAt: string;
}

/** The last line of an export: how many item lines came before it. */
export interface ExportTrailer {
  readonly end: true;
  readonly items: number;
}

/**
 * The partition key of the marker an import keeps in its target while it runs. It is no journal
 * item (no commit, state, note or claim): stream consumers, scans and the stream index skip it,
 * and the import deletes it once the last line is written.
 */
export const importMarkerKey = 'coffee-es#import';
export const importMarkerKind = 'import';

/** Whether an item is an import's marker (never exported, never compared). */
export const isImportMarker = (item: RawItem): boolean => item.kind?.S === importMarkerKind;

/** A line of the format that does not parse, or is not where it may be. */
export class JournalFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'JournalFormatError';
  }
}

export const headerLine = (header: ExportHeader) => `${JSON.stringify(header)}\n`;
export const itemLine = (item: RawItem) => `${JSON.stringify({ item })}\n`;
export const trailerLine = (items: number) =>
  `${JSON.stringify({ end: true, items } satisfies ExportTrailer)}\n`;

/** Parses the header line; a file of another format or a newer version is refused. */
export function parseHeader(text: string | undefined): ExportHeader {
  if (text === undefined) throw new JournalFormatError(1, 'the file is empty');
  const header = parseJson(text, 1) as Partial<ExportHeader>;
  if (header.format !== journalFormat)
    throw new JournalFormatError(1, `not a ${journalFormat} export`);
  if (header.version !== journalFormatVersion)
    throw new JournalFormatError(
      1,
      `format version ${String(header.version)}; this coffee-es reads version ${journalFormatVersion}`,
    );
  if (typeof header.exportId !== 'string' || header.exportId === '')
    throw new JournalFormatError(1, 'the header has no exportId');
  return header as ExportHeader;
}

/** Parses a line after the header: an item, or the trailer. */
export function parseBody(
  text: string,
  line: number,
): { readonly item: RawItem } | { readonly trailer: ExportTrailer } {
  const value = parseJson(text, line) as { item?: unknown; end?: unknown; items?: unknown };
  if (value.end === true && typeof value.items === 'number')
    return { trailer: value as ExportTrailer };
  const item = value.item as RawItem | undefined;
  if (
    typeof item !== 'object' ||
    item === null ||
    typeof item.pk?.S !== 'string' ||
    typeof item.sk?.N !== 'string'
  )
    throw new JournalFormatError(line, 'neither an item with pk and sk nor the trailer');
  return { item };
}

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new JournalFormatError(line, 'not JSON');
  }
}
