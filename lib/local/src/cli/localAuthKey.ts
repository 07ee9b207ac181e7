/**
 * The local authorization's settings, shared by `coffee-es start` (AUTH=on) and an app's token
 * command: the signing key in DATA_DIR/auth/, the issuer and the audience the local authorizer
 * expects, all derived from the service's name.
 */
import { resolve } from 'node:path';
import { type LocalAuth, localAuth } from '../localAuth.ts';

/** The `iss` of the tokens the local signing key signs for a service. */
export const localIssuer = (service: string) => `urn:${service}:local`;
/** The `aud` of the tokens the local signing key signs for a service. */
export const localAudience = (service: string) => `${service}-api`;
/** Where the local signing key of a data directory is kept (readable by its owner only). */
export const signingKeyFile = (dataDir: string) => resolve(dataDir, 'auth', 'signing-key.json');

/**
 * The local authorizer of a service; the first call on a data directory makes its signing key.
 *
 * @example
 * ```ts
 * const auth = await loadLocalAuth('shop', dataDir(process.cwd()));
 * const token = await auth.sign({ subject: 'ana', scopes: ['shop/customer'], ttlSeconds: 600 });
 * ```
 */
export const loadLocalAuth = (service: string, dataDir: string): Promise<LocalAuth> =>
  localAuth({
    keyFile: signingKeyFile(dataDir),
    issuer: localIssuer(service),
    audience: localAudience(service),
  });

/** `AUTH` of the environment: `on` verifies tokens, `off` (the default) leaves every route open. */
export function authSetting(value = process.env.AUTH): 'on' | 'off' | undefined {
  const setting = (value ?? 'off').trim().toLowerCase();
  return setting === 'on' || setting === 'off' ? setting : undefined;
}
