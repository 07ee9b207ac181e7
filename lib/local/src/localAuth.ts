/**
 * The local stand-in for API Gateway's JWT authorizer: a signing key of this machine (kept in
 * DATA_DIR, made on first use), tokens signed with it, and the authorizer's checks before a route
 * runs. Verification follows the deployed authorizer: a `Bearer` token (or the bare token) signed
 * with RSA by the key its `kid` names, `iss` and `aud` as configured, `exp` in the future, `nbf`
 * in the past, and one of the route's scopes in `scope` or `scp`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RouteAccess } from '@coffee-es/aws-lambda';
import { forbidden, scopesOfClaims, unauthorized } from '@coffee-es/aws-lambda';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** API Gateway's JWT authorizers accept only RSA signatures. */
const algorithms = ['RS256', 'RS384', 'RS512'];

/** The local signing key: signs tokens and verifies them as API Gateway's JWT authorizer does. */
export interface LocalAuth {
  readonly issuer: string;
  readonly audience: string;
  /** A token for `subject` with `scopes`, valid for `ttlSeconds` (default one hour). */
  sign(claims: {
    readonly subject: string;
    readonly scopes: readonly string[];
    readonly ttlSeconds?: number;
  }): Promise<string>;
  /** The verified claims of an `Authorization` header; 401 `unauthorized` when it has none. */
  verify(authorization: string | undefined): Promise<JWTPayload>;
}

/** What the authorizer hands the function: `requestContext.authorizer` of payload 2.0. */
export interface JwtAuthorizerContext {
  readonly jwt: { readonly claims: Record<string, string>; readonly scopes: string[] };
}

/** Where the local signing key lives, and the issuer and audience of its tokens. */
export interface LocalAuthOptions {
  /** The key file; without one the key lives in memory (tests). */
  readonly keyFile?: string;
  readonly issuer: string;
  readonly audience: string;
}

/**
 * Loads the signing key from `keyFile`, or makes one and keeps it there (readable by its owner
 * only), so that tokens printed by `npm run token` hold across restarts.
 *
 * @example
 * ```ts
 * const auth = await localAuth({ keyFile: '.data/auth/signing-key.json', issuer, audience });
 * const token = await auth.sign({ subject: 'ana', scopes: ['coffee/customer'] });
 * ```
 */
export async function localAuth(options: LocalAuthOptions): Promise<LocalAuth> {
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  const { issuer, audience } = options;
  return {
    issuer,
    audience,
    sign: ({ subject, scopes, ttlSeconds = 3600 }) =>
      new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid as string, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: async (authorization) => {
      const token = /^(?:Bearer\s+)?(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (!token) throw unauthorized();
      try {
        if (decodeProtectedHeader(token).kid !== privateJwk.kid) throw unauthorized();
        const { payload } = await jwtVerify(token, publicKey, {
          issuer,
          audience,
          algorithms,
          requiredClaims: ['exp'],
        });
        return payload;
      } catch {
        // The deployed authorizer says no more than this either.
        throw unauthorized('The bearer token is not valid');
      }
    },
  };
}

/**
 * The authorizer in front of one route: nothing for a public route; otherwise a verified token
 * with one of the route's scopes (401, 403 as problem+json), handed on as API Gateway does, with
 * every claim flattened to a string.
 */
export function gatewayAuthorizer(auth: LocalAuth) {
  return async (
    route: { readonly access?: RouteAccess },
    authorization: string | undefined,
  ): Promise<JwtAuthorizerContext | undefined> => {
    const { access } = route;
    if (access?.kind === 'public') return undefined;
    const payload = await auth.verify(authorization);
    const scopes = scopesOfClaims(payload);
    if (access && !access.scopes.some((scope) => scopes.includes(scope))) {
      throw forbidden(`This route needs one of the scopes ${access.scopes.join(', ')}`);
    }
    return { jwt: { claims: flatten(payload), scopes } };
  };
}

function flatten(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

async function loadOrCreateKey(keyFile: string | undefined): Promise<JWK> {
  if (keyFile) {
    const stored = await readFile(keyFile, 'utf8').catch(() => undefined);
    if (stored !== undefined) return JSON.parse(stored) as JWK;
  }
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, alg: 'RS256', use: 'sig', kid: await calculateJwkThumbprint(jwk) };
  if (!keyFile) return key;
  await mkdir(dirname(keyFile), { recursive: true });
  try {
    // `wx`: of two processes making the key at once, the first one's key is the one kept.
    await writeFile(keyFile, `${JSON.stringify(key)}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
  }
}
