/**
 * The coffee franchise as the `coffee-es` command runs it (`npm start`, `npm run rebuild`, …):
 * the system, the projections `rebuild` can rebuild, the schemas the journal is read with, and
 * what `start` suggests trying. Its own module so that no function bundles the projections.
 */
import { readSide } from '../projections/index.ts';

export { system } from './system.ts';
export const { eventSchemas, projections } = readSide;

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
