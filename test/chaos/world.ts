/**
 * The chaos run's world: the branches, slots and customers every client shares (set up through
 * the API before the run), and the model of what the server acknowledged, which the invariants
 * are checked against.
 */
import { type Answer, type ClientOptions, send } from './client.ts';

export interface OrderModel {
  readonly orderId: string;
  readonly branchId: string;
  readonly customerId: string | undefined;
  readonly total: number;
  status: string;
  paid: number;
  refunded: number;
}

export interface ReservationModel {
  readonly reservationId: string;
  readonly slotKey: string;
  readonly quantity: number;
  released: boolean;
}

export interface World {
  readonly run: string;
  readonly branches: readonly string[];
  readonly slots: readonly { branchId: string; slotId: string; capacity: number }[];
  readonly customers: readonly string[];
  readonly orders: Map<string, OrderModel>;
  readonly reservations: ReservationModel[];
  /** Answers that differ from what the contract says they must be. */
  readonly wrongAnswers: string[];
  commands: number;
}

/** Branches, slots and customers every client shares. */
export async function setUpWorld(
  client: ClientOptions,
  options: { run: string; branches: number; customers: number; slotCapacity: number },
): Promise<World> {
  const branches = Array.from({ length: options.branches }, (_, i) => `${options.run}-b${i}`);
  const slots = branches.flatMap((branchId) =>
    ['s1', 's2'].map((slotId) => ({ branchId, slotId, capacity: options.slotCapacity })),
  );
  const customers = Array.from({ length: options.customers }, (_, i) => `${options.run}-c${i}`);
  for (const branchId of branches) {
    await expectStatus(client, [200, 201], 'PUT', `/branches/${branchId}`, {
      name: `Branch ${branchId}`,
      city: 'Lisbon',
    });
  }
  for (const slot of slots) {
    await expectStatus(
      client,
      [200, 201],
      'PUT',
      `/branches/${slot.branchId}/slots/${slot.slotId}`,
      {
        startsAt: '2030-06-01T08:30:00Z',
        capacity: slot.capacity,
      },
    );
  }
  for (const customerId of customers) {
    await expectStatus(
      client,
      [201, 409],
      'POST',
      '/customers',
      { customerId, name: `Customer ${customerId}`, email: `${customerId}@example.com` },
      { 'idempotency-key': `signup-${customerId}` },
    );
  }
  return {
    run: options.run,
    branches,
    slots,
    customers,
    orders: new Map(),
    reservations: [],
    wrongAnswers: [],
    commands: 0,
  };
}

async function expectStatus(
  client: ClientOptions,
  statuses: readonly number[],
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Answer> {
  const answer = await send(client, method, path, body, headers);
  if (!statuses.includes(answer.status)) {
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer;
}
