/**
 * The local authorization's settings, shared by `npm start` (AUTH=on) and `npm run token`: the
 * signing key in DATA_DIR/auth/, the issuer and the audience the local authorizer expects.
 */
import { resolve } from 'node:path';
import { type LocalAuth, localAuth } from '@coffee-es/local';
import { serviceName } from '../functions/app/service.ts';
import { dataDir } from './localEndpoints.ts';

export const localIssuer = `urn:${serviceName}:local`;
export const localAudience = `${serviceName}-api`;
export const signingKeyFile = () => resolve(dataDir(), 'auth', 'signing-key.json');

/** The local authorizer; the first call on a DATA_DIR makes its signing key. */
export const loadLocalAuth = (): Promise<LocalAuth> =>
  localAuth({ keyFile: signingKeyFile(), issuer: localIssuer, audience: localAudience });

/** `AUTH` of the environment: `on` verifies tokens, `off` (the default) leaves every route open. */
export function authSetting(value = process.env.AUTH): 'on' | 'off' | undefined {
  const setting = (value ?? 'off').trim().toLowerCase();
  return setting === 'on' || setting === 'off' ? setting : undefined;
}
