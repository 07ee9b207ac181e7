/**
 * The local authorization of the coffee franchise, shared by `npm start` (AUTH=on, through
 * `coffee-es start`) and `npm run token`: the signing key in DATA_DIR/auth/.
 */
import { resolve } from 'node:path';
import { dataDir, type LocalAuth, loadLocalAuth as loadServiceAuth } from '@coffee-es/local';
import { serviceName } from '../functions/app/service.ts';

const root = resolve(import.meta.dirname, '..');

/** The local authorizer; the first call on a DATA_DIR makes its signing key. */
export const loadLocalAuth = (): Promise<LocalAuth> => loadServiceAuth(serviceName, dataDir(root));
