/** A shopping cart: created once, items added by quantity and removed by sku. */
import { defineEntity, reject } from '@coffee-es/core';

export interface CartState {
  readonly created: boolean;
  /** Quantity by sku. */
  readonly items: Readonly<Record<string, number>>;
}

export type CartCommand =
  | { type: 'CreateCart'; data: { cartId: string } }
  | { type: 'AddItem'; data: { sku: string; quantity: number } }
  | { type: 'RemoveItem'; data: { sku: string } };

export type CartEvent =
  | { type: 'CartCreated'; data: { cartId: string; at: string } }
  | { type: 'ItemAdded'; data: { sku: string; quantity: number } }
  | { type: 'ItemRemoved'; data: { sku: string } };

/** Every refusal, with its kind: the HTTP edge answers `not-found` 404, `conflict` 409. */
const cartRejections = {
  'cart-not-found': 'not-found',
  'cart-exists': 'conflict',
  'item-not-in-cart': 'conflict',
} as const;

export const cartEntity = defineEntity<
  CartState,
  CartCommand,
  CartEvent,
  keyof typeof cartRejections
>({
  type: 'Cart',
  rejections: cartRejections,
  initialState: () => ({ created: false, items: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CartCreated':
        return { created: true, items: {} };
      case 'ItemAdded': {
        const { sku, quantity } = event.data;
        return { ...state, items: { ...state.items, [sku]: (state.items[sku] ?? 0) + quantity } };
      }
      case 'ItemRemoved': {
        const { [event.data.sku]: _removed, ...items } = state.items;
        return { ...state, items };
      }
    }
  },
  decide: (command, state, { now }) => {
    if (command.type === 'CreateCart') {
      return state.created
        ? reject('cart-exists', 'This cart exists already')
        : { type: 'CartCreated', data: { cartId: command.data.cartId, at: now } };
    }
    if (!state.created) return reject('cart-not-found', 'No such cart');
    switch (command.type) {
      case 'AddItem':
        return { type: 'ItemAdded', data: command.data };
      case 'RemoveItem':
        return state.items[command.data.sku] === undefined
          ? reject('item-not-in-cart', `No ${command.data.sku} in the cart`)
          : { type: 'ItemRemoved', data: command.data };
    }
  },
  events: { CartCreated: { version: 1 }, ItemAdded: { version: 1 }, ItemRemoved: { version: 1 } },
});

/** What the API answers: the items in sku order. */
export const cartView = (cartId: string, state: CartState, version: number) => ({
  cartId,
  items: Object.entries(state.items)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sku, quantity]) => ({ sku, quantity })),
  version,
});
