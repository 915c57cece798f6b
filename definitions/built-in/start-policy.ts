/**
 * How an instance of a process may begin when `POST /api/processes` alone must not
 * start it, by definition key (every version: a policy of the product, not content a
 * published version could carry — so it needs no new versions of the definitions):
 *
 * - `route`: only its own route starts it, which checks the caller's right to the
 *   thing it acts on first — the order's cancellation (`POST /api/orders/:id/cancel`,
 *   the order must be one of the caller's customers'), an after-sales case
 *   (`POST /api/customers/:id/service-cases`, the customer must be the caller's);
 * - `parent`: only the process that owns the step starts it (the reception starts the
 *   subscription, the subscription its contract, the contract its discount approval
 *   and payment schedule, the schedule its receipts, the launch its plan studies):
 *   each takes the customer, order and agent from its parent, never from a request.
 *
 * Anything else (the launch, a reception, a plan adjustment, marketing's plans, an
 * approval) is started through `POST /api/processes` by the roles its `starters` name.
 */
export const START_POLICY: Readonly<Record<string, 'route' | 'parent'>> = {
  'order-cancellation': 'route',
  'after-sales': 'route',
  subscription: 'parent',
  contract: 'parent',
  'discount-approval': 'parent',
  'payment-schedule': 'parent',
  'payment-receipt': 'parent',
  'plan-study': 'parent',
};

/** How `key` may be started: through the API, only by its route, or only by its parent process. */
export function startPolicyOf(key: string): 'api' | 'route' | 'parent' {
  return START_POLICY[key] ?? 'api';
}
