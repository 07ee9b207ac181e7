/**
 * The local server with authorization on, as the deployed stage: tokens verified by the gateway
 * (401), scopes per route (403), then customers limited to what is theirs (404 first, then 403).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type App, startApp } from '../../support/appServer.ts';

let app: App;
let staff: Record<string, string>;
let ana: Record<string, string>;
let bob: Record<string, string>;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tokenFor = async (subject: string, scope: string) =>
  bearer(await (app.auth?.sign({ subject, scopes: [scope] }) ?? Promise.reject()));

beforeAll(async () => {
  app = await startApp('authorization', { auth: true, workers: false });
  staff = await tokenFor('till-1', 'coffee/staff');
  ana = await tokenFor('ana', 'coffee/customer');
  bob = await tokenFor('bob', 'coffee/customer');
  expect(
    (await app.call('PUT', '/branches/b1', { name: 'Baixa', city: 'Lisbon' }, staff)).status,
  ).toBe(201);
  for (const [who, headers] of [
    ['ana', ana],
    ['bob', bob],
  ] as const) {
    const registered = await app.call(
      'POST',
      '/customers',
      { name: who, email: `${who}@x.io` },
      headers,
    );
    expect(registered.body.customerId).toBe(who); // registration binds the id to the subject
  }
});
afterAll(() => app?.stop());

function expectProblem(answer: Answer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, code });
}

describe('with local authorization on', () => {
  it('answers 401 problem without a token, or with one the gateway would refuse', async () => {
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'coffee/staff' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer('urn:spec:issuer')
      .setAudience('spec-api')
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(other.privateKey);
    const real = (await app.auth?.sign({ subject: 'ana', scopes: ['coffee/staff'] })) as string;
    const [head, , signature] = real.split('.');
    const body = Buffer.from(JSON.stringify({ sub: 'ana', scope: 'coffee/staff' })).toString(
      'base64url',
    );
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Basic YW5hOnNlY3JldA==' },
      bearer(forged),
      bearer(`${head}.${body}.${signature}`), // claims changed after signing
      bearer(`${head}.${body}.`), // no signature at all
    ];
    for (const headers of refused) {
      expectProblem(
        await app.call('GET', '/customers/ana', undefined, headers),
        401,
        'unauthorized',
      );
    }
    // The bare token is accepted too, as API Gateway's identity source allows.
    expect(
      (await app.call('GET', '/customers/ana', undefined, { authorization: real })).status,
    ).toBe(200);
  });

  it('refuses a token once it has expired (simulated by a one-second lifetime)', async () => {
    const brief = bearer(
      (await app.auth?.sign({
        subject: 'ana',
        scopes: ['coffee/customer'],
        ttlSeconds: 1,
      })) as string,
    );
    expect((await app.call('GET', '/customers/ana', undefined, brief)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    expectProblem(await app.call('GET', '/customers/ana', undefined, brief), 401, 'unauthorized');
  });

  it('needs no token for /health and /openapi.json; unknown routes stay 404/405', async () => {
    expect((await app.call('GET', '/health')).status).toBe(200);
    expect((await app.call('GET', '/openapi.json')).status).toBe(200);
    expectProblem(await app.call('GET', '/nowhere'), 404, 'not-found');
    expectProblem(await app.call('PATCH', '/customers/ana'), 405, 'method-not-allowed');
  });

  it('answers 403 to a customer token on a staff route, before reading the body', async () => {
    expectProblem(
      await app.call('PUT', '/branches/b2', { name: 'X', city: 'Y' }, ana),
      403,
      'forbidden',
    );
    expectProblem(await app.call('GET', '/projections', undefined, ana), 403, 'forbidden');
    expectProblem(
      await app.call('GET', '/branches/b1/sales?date=2030-01-01', undefined, ana),
      403,
      'forbidden',
    );
    expectProblem(
      await app.call('PUT', '/branches/b1/slots/s1', { capacity: 'x' }, ana),
      403,
      'forbidden',
    );
    expectProblem(
      await app.raw('PUT', '/branches/b1', '{not json', 'application/json'),
      401,
      'unauthorized',
    );
    expect((await app.call('GET', '/branches/b2', undefined, staff)).status).toBe(404);
    // A token without either scope reaches nothing but the public routes.
    const none = await tokenFor('eve', 'profile');
    expectProblem(await app.call('GET', '/branches/b1', undefined, none), 403, 'forbidden');
    expect((await app.call('GET', '/branches/b1', undefined, ana)).status).toBe(200);
  });

  it("refuses another customer's record, events, orders and points with 403, writing nothing", async () => {
    for (const path of ['/customers/ana', '/customers/ana/events', '/customers/ana/orders']) {
      expectProblem(await app.call('GET', path, undefined, bob), 403, 'forbidden');
      expect((await app.call('GET', path, undefined, ana)).status).toBe(200);
      expect((await app.call('GET', path, undefined, staff)).status).toBe(200);
    }
    const before = await app.commits('Customer#ana');
    const spend = await app.call('POST', '/customers/ana/redemptions', { points: 1 }, bob);
    expectProblem(spend, 403, 'forbidden');
    expect(await app.commits('Customer#ana')).toBe(before);
    // Someone else's id that does not exist is 404, as for anyone (404 comes before 403).
    expectProblem(await app.call('GET', '/customers/nobody', undefined, bob), 404, 'not-found');
    // And a customer cannot register under someone else's id.
    const taken = await app.call(
      'POST',
      '/customers',
      { customerId: 'carol', name: 'C', email: 'c@x.io' },
      bob,
    );
    expectProblem(taken, 403, 'forbidden');
    expect(await app.commits('Customer#carol')).toBe(0);
  });

  it('marks answers with personal data no-store', async () => {
    const read = await app.call('GET', '/customers/ana', undefined, ana);
    expect(read.headers.get('cache-control')).toBe('no-store');
    const branch = await app.call('GET', '/branches/b1', undefined, ana);
    expect(branch.headers.get('cache-control')).toBeNull();
  });
});
