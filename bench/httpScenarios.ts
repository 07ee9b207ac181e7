/** The contract's routes as benchmark scenarios: each prepares its entity and names its request. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
export type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; body?: string }>;

/** A measured request: `prepare` runs on the container given (setup or warm) and returns it. */
export interface Scenario {
  readonly route: string;
  /** Whether the route takes `Idempotency-Key` (a POST). */
  readonly keyable: boolean;
  prepare(on: Handler): Promise<Request>;
}

export interface Request {
  readonly method: string;
  readonly template: string;
  readonly params: Record<string, string>;
  readonly body?: unknown;
  /** The customer (token subject, scope `coffee/customer`) sending it; staff when absent. */
  readonly customer?: string;
}

type Send = (on: Handler, request: Request) => Promise<{ readonly [field: string]: string }>;

/** Creates a branch, a customer and a slot on `setup`, and the scenarios that use them. */
export async function contractScenarios(setup: Handler, send: Send): Promise<Scenario[]> {
  const stamp = Date.now().toString(36);
  const branchId = `b-${stamp}`;
  const customerId = `c-${stamp}`;
  const slotId = `s-${stamp}`;
  await send(setup, {
    method: 'PUT',
    template: '/branches/{branchId}',
    params: { branchId },
    body: { name: 'Baixa', city: 'Lisbon' },
  });
  await send(setup, {
    method: 'POST',
    template: '/customers',
    params: {},
    body: { customerId, name: 'Ana', email: 'ana@example.com' },
  });
  await send(setup, {
    method: 'PUT',
    template: '/branches/{branchId}/slots/{slotId}',
    params: { branchId, slotId },
    body: { startsAt: '2030-06-01T08:30:00Z', capacity: 10_000 },
  });
  const placeOrder: Request = {
    method: 'POST',
    template: '/branches/{branchId}/orders',
    params: { branchId },
    body: { customerId, items: [{ sku: 'latte', quantity: 2, unitPrice: 350 }] },
  };
  const placed = async (on: Handler, paid: boolean) => {
    const orderId = String((await send(on, placeOrder)).orderId);
    const params = { orderId };
    if (paid)
      await send(on, {
        method: 'POST',
        template: '/orders/{orderId}/payment',
        params,
        body: { amount: 700 },
      });
    return params;
  };
  let n = 0;
  const scenarios: Scenario[] = [
    {
      route: 'PUT /branches/{id} (create)',
      keyable: false,
      prepare: async () => ({
        method: 'PUT',
        template: '/branches/{branchId}',
        params: { branchId: `nb-${stamp}-${++n}` },
        body: { name: 'Rossio', city: 'Lisbon' },
      }),
    },
    {
      route: 'PUT /branches/{id} (update)',
      keyable: false,
      prepare: async (on) => {
        await send(on, { method: 'GET', template: '/branches/{branchId}', params: { branchId } });
        return {
          method: 'PUT',
          template: '/branches/{branchId}',
          params: { branchId },
          body: { name: `Baixa ${++n}`, city: 'Lisbon' },
        };
      },
    },
    {
      route: 'POST /customers',
      keyable: true,
      prepare: async () => ({
        method: 'POST',
        template: '/customers',
        params: {},
        body: { customerId: `nc-${stamp}-${++n}`, name: 'Rui', email: 'rui@example.com' },
      }),
    },
    {
      route: 'GET /customers/{id}',
      keyable: false,
      prepare: async (on) => {
        await send(on, {
          method: 'GET',
          template: '/customers/{customerId}',
          params: { customerId },
        });
        return { method: 'GET', template: '/customers/{customerId}', params: { customerId } };
      },
    },
    {
      route: 'POST /branches/{id}/orders (staff, for a customer)',
      keyable: true,
      prepare: async (on) => {
        await send(on, placeOrder); // the branch and the customer are known to this container
        return placeOrder;
      },
    },
    {
      route: 'POST /branches/{id}/orders (the customer)',
      keyable: true,
      prepare: async (on) => {
        await send(on, { ...placeOrder, customer: customerId }); // branch and customer known here
        return { ...placeOrder, customer: customerId };
      },
    },
    {
      route: 'POST /orders/{id}/payment (staff)',
      keyable: true,
      prepare: async (on) => ({
        method: 'POST',
        template: '/orders/{orderId}/payment',
        params: await placed(on, false),
        body: { amount: 700 },
      }),
    },
    {
      route: 'POST /orders/{id}/payment (the customer)',
      keyable: true,
      prepare: async (on) => ({
        method: 'POST',
        template: '/orders/{orderId}/payment',
        params: await placed(on, false),
        body: { amount: 700 },
        customer: customerId,
      }),
    },
    {
      route: 'POST /orders/{id}/ready',
      keyable: true,
      prepare: async (on) => ({
        method: 'POST',
        template: '/orders/{orderId}/ready',
        params: await placed(on, true),
        body: {},
      }),
    },
    {
      route: 'POST /orders/{id}/refunds',
      keyable: true,
      prepare: async (on) => ({
        method: 'POST',
        template: '/orders/{orderId}/refunds',
        params: await placed(on, true),
        body: { amount: 100, reason: 'cold' },
      }),
    },
    {
      route: 'GET /orders/{id}',
      keyable: false,
      prepare: async (on) => ({
        method: 'GET',
        template: '/orders/{orderId}',
        params: await placed(on, false),
      }),
    },
    {
      route: 'POST /branches/{id}/slots/{id}/reservations',
      keyable: true,
      prepare: async (on) => {
        await send(on, {
          method: 'GET',
          template: '/branches/{branchId}/slots/{slotId}',
          params: { branchId, slotId },
        });
        return {
          method: 'POST',
          template: '/branches/{branchId}/slots/{slotId}/reservations',
          params: { branchId, slotId },
          body: { quantity: 1 },
        };
      },
    },
    {
      route: 'DELETE /reservations/{id}',
      keyable: false,
      prepare: async (on) => {
        const reservationId = String(
          (
            await send(on, {
              method: 'POST',
              template: '/branches/{branchId}/slots/{slotId}/reservations',
              params: { branchId, slotId },
              body: { quantity: 1 },
            })
          ).reservationId,
        );
        return {
          method: 'DELETE',
          template: '/reservations/{reservationId}',
          params: { reservationId },
        };
      },
    },
  ];

  return scenarios;
}
