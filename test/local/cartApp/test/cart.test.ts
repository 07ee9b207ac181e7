/** The cart's decisions as specifications of the test kit: given events, when a command, then. */
import { test } from 'node:test';
import { specification } from '@coffee-es/core/testing';
import { cartEntity } from '../src/cart.ts';

const cart = specification(cartEntity);
const created = {
  type: 'CartCreated',
  data: { cartId: 'c1', at: '2026-01-01T08:00:00.000Z' },
} as const;
const added = { type: 'ItemAdded', data: { sku: 'tea', quantity: 2 } } as const;

test('a new cart is created once', () => {
  cart
    .given()
    .when({ type: 'CreateCart', data: { cartId: 'c1' } })
    .thenEmits(created);
  cart
    .given(created)
    .when({ type: 'CreateCart', data: { cartId: 'c1' } })
    .thenRejects('cart-exists');
});

test('items add up by sku and are removed by sku', () => {
  cart
    .given(created, added)
    .when({ type: 'AddItem', data: { sku: 'tea', quantity: 1 } })
    .thenState((state) => {
      if (state.items.tea !== 3) throw new Error(`expected 3 tea, got ${state.items.tea}`);
    });
  cart
    .given(created, added)
    .when({ type: 'RemoveItem', data: { sku: 'tea' } })
    .thenEmits({ type: 'ItemRemoved', data: { sku: 'tea' } })
    .thenState((state) => {
      if ('tea' in state.items) throw new Error('tea is still in the cart');
    });
});

test('a cart that does not exist takes no items, and only present items are removed', () => {
  cart
    .given()
    .when({ type: 'AddItem', data: { sku: 'tea', quantity: 1 } })
    .thenRejects('cart-not-found');
  cart
    .given(created)
    .when({ type: 'RemoveItem', data: { sku: 'tea' } })
    .thenRejects('item-not-in-cart');
});
