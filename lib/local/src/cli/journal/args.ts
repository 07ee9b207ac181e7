/** Values of the journal commands' flags, checked before anything connects (else exit 2). */
import { UsageError } from '../ops/flags.ts';

/** A fraction in [0, 1], for `--sample`. */
export function parseFraction(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`${name} must be a number from 0 to 1, not ${text}`);
  return value;
}

/** A DynamoDB table name: 3-255 of A-Z a-z 0-9 _ - . */
export function checkTableName(name: string, text: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(text))
    throw new UsageError(`${name}: ${JSON.stringify(text)} is not a DynamoDB table name`);
  return text;
}
