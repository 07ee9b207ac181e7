/** Written by `npm run generate` (scripts/generate/): every projection exported under functions/projections/. Do not edit. */
import { availability } from '../../projections/availability.ts';
import { dailySales } from '../../projections/dailySales.ts';
import { orderHistory } from '../../projections/orderHistory.ts';

export const projections = [availability, dailySales, orderHistory] as const;
