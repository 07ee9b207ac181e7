/**
 * The read side of the coffee franchise: every entity whose events are read back and every read
 * model kept from them, as `npm run generate` finds them (functions/app/generated/). The
 * event-schema registry derives from this; the system declaration (functions/app/system.ts)
 * carries it, and GET /projections lists the projections in this order.
 */
import { defineReadSide } from '@coffee-es/core';
import { entities } from '../app/generated/entities.ts';
import { projections } from '../app/generated/projections.ts';

export const readSide = defineReadSide({ entities, projections });
