/** The cart's one route group: create a cart, add and remove items, read it. */
import { defineRoute } from '@coffee-es/aws-lambda';
import * as z from '@coffee-es/aws-lambda/schema';
import type { EntityStore } from '@coffee-es/core';
import { type CartCommand, type CartEvent, type CartState, cartView } from './cart.ts';

export interface CartDeps {
  readonly carts: EntityStore<CartState, CartCommand, CartEvent>;
}

const route = defineRoute<CartDeps>();
const id = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const open = { kind: 'public' } as const;
const group = 'carts';

async function run(deps: CartDeps, cartId: string, command: CartCommand, status = 200) {
  const done = await deps.carts.execute(cartId, command);
  return { status, body: cartView(cartId, done.state, done.version), etag: done.version };
}

export const cartRoutes = [
  route({
    method: 'POST',
    path: '/carts',
    operationId: 'createCart',
    group,
    summary: 'Create a cart',
    access: open,
    body: z.object({ cartId: id }),
    responses: { 201: 'Created', 409: 'cart-exists' },
    handle: async ({ body }, deps) =>
      run(deps, body.cartId, { type: 'CreateCart', data: { cartId: body.cartId } }, 201),
  }),
  route({
    method: 'POST',
    path: '/carts/{cartId}/items',
    operationId: 'addItem',
    group,
    summary: 'Add an item',
    access: open,
    params: z.object({ cartId: id }),
    body: z.object({ sku: id, quantity: z.int().check(z.minimum(1), z.maximum(99)) }),
    responses: { 200: 'The cart', 404: 'not-found' },
    handle: async ({ params, body }, deps) =>
      run(deps, params.cartId, { type: 'AddItem', data: body }),
  }),
  route({
    method: 'DELETE',
    path: '/carts/{cartId}/items/{sku}',
    operationId: 'removeItem',
    group,
    summary: 'Remove an item',
    access: open,
    params: z.object({ cartId: id, sku: id }),
    responses: { 200: 'The cart', 404: 'not-found', 409: 'item-not-in-cart' },
    handle: async ({ params }, deps) =>
      run(deps, params.cartId, { type: 'RemoveItem', data: { sku: params.sku } }),
  }),
  route({
    method: 'GET',
    path: '/carts/{cartId}',
    operationId: 'getCart',
    group,
    summary: 'A cart',
    access: open,
    params: z.object({ cartId: id }),
    responses: { 200: 'The cart', 404: 'not-found' },
    handle: async ({ params }, deps) => {
      const cart = await deps.carts.get(params.cartId, { consistent: true });
      if (!cart) return { status: 404, body: { code: 'not-found' } };
      return { status: 200, body: cartView(params.cartId, cart.state, cart.version) };
    },
  }),
];
