/** Written by `npm run generate` (scripts/generate/): every entity exported under functions/domain/. Do not edit. */
import { customerEntity, orderEntity, slotEntity } from '../../domain/index.ts';

export const entities = [customerEntity, orderEntity, slotEntity] as const;
