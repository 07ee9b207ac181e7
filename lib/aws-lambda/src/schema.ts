/**
 * The schema library for everything that ships in a function: Zod Mini, the tree-shakable form of
 * Zod (classic Zod adds about 90 KB to every bundle, Mini about 35), with English messages.
 *
 * @example
 * ```ts
 * import * as z from './schema.ts';
 * const body = z.object({ name: z.string().check(z.minLength(1)) });
 * ```
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
