/**
 * The coffee franchise as the `coffee-es` command runs it (`npm start`, `npm run rebuild`, …):
 * the system (its `readSide` names the projections `rebuild` can rebuild and the schemas the
 * journal is read with) and what `start` suggests trying.
 */
// The projections and event schemas come with the system's `readSide`.
export { system } from './system.ts';

export const startBanner = (url: string, auth: 'on' | 'off') =>
  `${
    auth === 'on'
      ? `Get a token:
  T=$(npm run -s token -- --sub ana --scope coffee/customer)   # or --scope coffee/staff
  curl -s ${url}/customers/ana -H "authorization: Bearer $T"

`
      : ''
  }Try it:
  curl -s -X PUT ${url}/branches/lisbon-1 -H 'content-type: application/json' \\
       -d '{"name":"Baixa","city":"Lisbon"}'
  curl -s -X POST ${url}/customers -H 'content-type: application/json' \\
       -d '{"name":"Ana","email":"ana@example.com"}'
  curl -s ${url}/openapi.json`;
export { entities } from './generated/entities.ts';

/**
 * What `journal migrate` and `journal compare` sum on both sides (paths into the stored event
 * data): order totals, payments and refunds, points earned, taken back and redeemed, seats held.
 */
export const parity = {
  Order: { OrderPlaced: ['total'], OrderPaid: ['amount'], OrderRefunded: ['amount'] },
  Customer: {
    CustomerPointsAdded: ['points'],
    CustomerPointsDeducted: ['points'],
    PointsRedeemed: ['points'],
  },
  Slot: { SlotReserved: ['quantity'], ReservationReleased: ['quantity'] },
};
