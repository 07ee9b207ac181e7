/**
 * The README's "Adding an entity" applied to a copy of the app: its three code blocks become the
 * entity, the projection and the route, and the registrations its table lists are made as edits
 * anchored on the lines they follow, so that the guide fails its spec when the app moves on.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const maker = `/** The vouchers' entity store. */
import { declaredEntity, EntityStore } from '@coffee-es/core';
import { voucherEntity } from '../../domain/vouchers.ts';
import { entities } from '../entities.ts';
import type { DepMaker } from './compose.ts';
import { entityStoreOptions } from './entityStores.ts';

export const vouchers: DepMaker<'vouchers'> = (context) =>
  new EntityStore(declaredEntity(entities, voucherEntity), entityStoreOptions(context));
`;

const entry = `/** The vouchers route group's function (declared in functions/app/system.ts). */
import { vouchers } from '../../app/deps/vouchers.ts';
import { httpFunction } from '../../app/httpFunction.ts';
import { voucherRoutes } from '../../app/routes/vouchers.ts';

export const routes = voucherRoutes;
export const handler = httpFunction({ group: 'vouchers', routes, deps: { vouchers } });
`;

/** [file, the text to find (once), what it becomes]. */
const edits: readonly (readonly [string, string, string])[] = [
  [
    'app/entities.ts',
    "import { customerEntity, orderEntity, slotEntity } from '../domain/index.ts';\n",
    "import { customerEntity, orderEntity, slotEntity } from '../domain/index.ts';\nimport { voucherEntity } from '../domain/vouchers.ts';\n",
  ],
  [
    'app/entities.ts',
    '[customerEntity, orderEntity, slotEntity] as const',
    '[customerEntity, orderEntity, slotEntity, voucherEntity] as const',
  ],
  [
    'projections/index.ts',
    "import { orderHistory } from './orderHistory.ts';\n",
    "import { orderHistory } from './orderHistory.ts';\nimport { voucherBalances } from './vouchers.ts';\n",
  ],
  [
    'projections/index.ts',
    'projections: [orderHistory, dailySales, availability],',
    'projections: [orderHistory, dailySales, availability, voucherBalances],',
  ],
  [
    'app/deps/appDeps.ts',
    "} from '../../domain/index.ts';\n",
    "} from '../../domain/index.ts';\nimport type { VoucherCommand, VoucherEvent, VoucherState } from '../../domain/vouchers.ts';\n",
  ],
  [
    'app/deps/appDeps.ts',
    '  readonly branches: DurableStateStore<Branch>;\n',
    '  readonly vouchers: EntityStore<VoucherState, VoucherCommand, VoucherEvent>;\n  readonly branches: DurableStateStore<Branch>;\n',
  ],
  [
    'app/deps.ts',
    "import { slots } from './deps/slots.ts';\n",
    "import { slots } from './deps/slots.ts';\nimport { vouchers } from './deps/vouchers.ts';\n",
  ],
  [
    'app/deps.ts',
    '{ customers, orders, slots, branches, known, readModels }',
    '{ customers, orders, slots, vouchers, branches, known, readModels }',
  ],
  ['app/deps/compose.ts', "  'slots',\n  'branches',", "  'slots',\n  'vouchers',\n  'branches',"],
  [
    'app/system.ts',
    "import { slotRoutes } from './routes/slots.ts';\n",
    "import { slotRoutes } from './routes/slots.ts';\nimport { voucherRoutes } from './routes/vouchers.ts';\n",
  ],
  ['app/system.ts', '  ...slotRoutes,\n];', '  ...slotRoutes,\n  ...voucherRoutes,\n];'],
  [
    'app/system.ts',
    "} from '../domain/index.ts';\n",
    "} from '../domain/index.ts';\nimport { voucherEntity } from '../domain/vouchers.ts';\n",
  ],
  [
    'app/system.ts',
    "    slots: {\n      entry: httpEntry('slots'),",
    "    vouchers: {\n      entry: httpEntry('vouchers'),\n      reads: ['journal'],\n      writes: ['journal'],\n      items: { journal: [owns(voucherEntity.type)] },\n    },\n    slots: {\n      entry: httpEntry('slots'),",
  ],
  [
    'app/system.ts',
    'reads(branchDefinition.type, customerEntity.type, orderEntity.type, slotEntity.type),',
    'reads(branchDefinition.type, customerEntity.type, orderEntity.type, slotEntity.type, voucherEntity.type),',
  ],
];

/** The ```ts blocks of the README's "Adding an entity" section, in order. */
export function guideBlocks(readme: string): string[] {
  const start = readme.indexOf('## Adding an entity');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** Copies `functions/` to `dir` and adds the voucher there; answers the files it touched. */
export function addVoucher(repo: string, dir: string): string[] {
  const functions = join(dir, 'functions');
  cpSync(join(repo, 'functions'), functions, { recursive: true });
  const [domain, projection, route, ...rest] = guideBlocks(
    readFileSync(join(repo, 'README.md'), 'utf8'),
  );
  if (!domain || !projection || !route || rest.length > 0) {
    throw new Error('The guide should hold three ts blocks: entity, projection, route');
  }
  const created: [string, string][] = [
    ['domain/vouchers.ts', domain],
    ['projections/vouchers.ts', projection],
    ['app/routes/vouchers.ts', route],
    ['app/deps/vouchers.ts', maker],
    ['handlers/http/vouchers.ts', entry],
  ];
  for (const [file, text] of created) {
    if (existsSync(join(functions, file))) throw new Error(`${file} exists already`);
    writeFileSync(join(functions, file), text);
  }
  for (const [file, find, replacement] of edits) {
    const path = join(functions, file);
    const text = readFileSync(path, 'utf8');
    if (text.split(find).length !== 2)
      throw new Error(`${file}: the guide's anchor moved: ${find}`);
    writeFileSync(path, text.replace(find, replacement));
  }
  return [...new Set([...created.map(([file]) => file), ...edits.map(([file]) => file)])];
}
