/** The read models, read through each projection's typed `get`/`query` (eventual). */
import { DynamoReadModelReader } from '@coffee-es/dynamodb';
import { required } from '../config.ts';
import type { DepMaker } from './compose.ts';

// The table is asked for when `deps.readModels` is first used: a group without read models
// never names it.
export const readModels: DepMaker<'readModels'> = (context) =>
  new DynamoReadModelReader(context.client, required(context.config, 'READ_MODEL_TABLE'));
