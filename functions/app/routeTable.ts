/** Written by `npm run generate` from the route declarations (routeTableText.ts): do not edit. */
import type { Route } from '@coffee-es/aws-lambda';

export const routeTable: readonly Pick<Route, 'method' | 'path'>[] = [
  { method: 'PUT', path: '/branches/{branchId}' },
  { method: 'GET', path: '/branches/{branchId}' },
  { method: 'POST', path: '/customers' },
  { method: 'GET', path: '/customers/{customerId}' },
  { method: 'POST', path: '/customers/{customerId}/redemptions' },
  { method: 'GET', path: '/customers/{customerId}/events' },
  { method: 'GET', path: '/customers/{customerId}/orders' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/projections' },
  { method: 'GET', path: '/openapi.json' },
  { method: 'POST', path: '/branches/{branchId}/orders' },
  { method: 'POST', path: '/orders/{orderId}/payment' },
  { method: 'POST', path: '/orders/{orderId}/ready' },
  { method: 'POST', path: '/orders/{orderId}/collection' },
  { method: 'POST', path: '/orders/{orderId}/cancellation' },
  { method: 'POST', path: '/orders/{orderId}/refunds' },
  { method: 'GET', path: '/orders/{orderId}' },
  { method: 'GET', path: '/orders/{orderId}/events' },
  { method: 'GET', path: '/branches/{branchId}/sales' },
  { method: 'PUT', path: '/branches/{branchId}/slots/{slotId}' },
  { method: 'GET', path: '/branches/{branchId}/slots/{slotId}' },
  { method: 'POST', path: '/branches/{branchId}/slots/{slotId}/reservations' },
  { method: 'DELETE', path: '/reservations/{reservationId}' },
  { method: 'POST', path: '/availability' },
];
