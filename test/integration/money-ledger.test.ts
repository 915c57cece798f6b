import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { fenToYuan, toFen } from '../../domain';
import { runActivityStep } from '../support/processes';
import { startSystem, type Session, type TestSystem } from '../support/system';

// Every yuan adds up. Found through the API: two cancellations of one order approved
// at once made two refunds (¥199,999,999.98 on a ¥2,716,775 order), refunds had no cap,
// receipts of ¥0.01 + ¥0.01 marked both instalments of a ¥1,886,080 contract paid, and
// money was added as floats. Here the real activities run on Temporal and Postgres —
// some of them at the same moment — and the ledger's invariants must hold.

let sys: TestSystem;
let agent: Session;
let agentId: string;

beforeAll(async () => {
  sys = await startSystem();
  agent = await sys.login('agent');
  agentId = (await sys.prisma.user.findUniqueOrThrow({ where: { username: 'agent' } })).id;
});
afterAll(() => sys?.stop());

/** A signed contract of the agent's own new customer with instalments of the given amounts (yuan), and its subscription's deposit. */
async function contract(instalments: string[], deposit = '0') {
  const phone = `133${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const customer = await sys.prisma.customer.create({ data: { projectId: 'DEMO', name: '账本', phone, ownerId: agentId } });
  const unit = await sys.prisma.unit.create({
    data: { projectId: 'DEMO', building: 'L', unitNo: randomUUID().slice(0, 8), floor: 5, area: 100, layout: '3室', listPrice: 3_000_000 },
  });
  const holderProcessId = `ledger:${randomUUID()}`;
  const price = fenToYuan(instalments.reduce((s, a) => s + toFen(a)!, 0));
  await sys.prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId: customer.id,
      unitId: unit.id,
      kind: 'subscription',
      processId: holderProcessId,
      holderProcessId,
      listPrice: price,
      price,
      deposit,
      status: 'signed',
      agentId,
    },
  });
  const order = await sys.prisma.salesOrder.create({
    data: {
      projectId: 'DEMO',
      customerId: customer.id,
      unitId: unit.id,
      kind: 'contract',
      processId: `${holderProcessId}/contract`,
      holderProcessId,
      listPrice: price,
      price,
      status: 'signed',
      agentId,
    },
  });
  await sys.prisma.payment.createMany({
    data: instalments.map((amount, i) => ({ orderId: order.id, seq: i + 1, dueAt: new Date(Date.now() + 86_400_000), amount })),
  });
  return order;
}

const receipt = (orderId: string, seq: number, amount: string) =>
  runActivityStep(sys, 'DEMO', 'orders.receipt', { orderId, seq, form: { amount: Number(amount), method: 'transfer' } });

const instalment = async (orderId: string, seq: number) => sys.prisma.payment.findFirstOrThrow({ where: { orderId, seq } });

test('an instalment is paid only when its receipts cover it; ¥0.01 + ¥0.01 pay nothing of ¥1,886,080', async () => {
  const order = await contract(['943040', '943040']);
  expect((await receipt(order.id, 1, '0.01')).status).toBe('completed');
  expect((await receipt(order.id, 2, '0.01')).status).toBe('completed');
  for (const seq of [1, 2]) {
    const p = await instalment(order.id, seq);
    expect({ seq, paid: p.paidAmount?.toString(), paidAt: p.paidAt }).toEqual({ seq, paid: '0.01', paidAt: null });
  }
  const paid = await runActivityStep(sys, 'DEMO', 'orders.paid', { orderId: order.id });
  expect(paid.status).toBe('completed');
  expect((await sys.prisma.customer.findUniqueOrThrow({ where: { id: order.customerId } })).stage).not.toBe('paid');

  // The order as the API shows it: what is missing, flagged.
  const shown = (await agent.get(`/api/orders?customerId=${order.customerId}`)).body.items.find((o: { id: string }) => o.id === order.id);
  expect(shown.payments[0]).toMatchObject({ shortAmount: '943039.99', overAmount: '0.00' });

  // Exactly the rest: covered (as floats, 0.01 + 943039.99 is not 943040).
  await receipt(order.id, 1, '943039.99');
  const first = await instalment(order.id, 1);
  expect(first.paidAmount?.toString()).toBe('943040');
  expect(first.paidAt).not.toBeNull();
});

test('two cancellations of one order at the same moment: one is started, the other refused', async () => {
  const order = await contract(['500000'], '50000');
  await receipt(order.id, 1, '500000');
  const answers = await Promise.all(
    ['a', 'b'].map((k) =>
      agent.post(`/api/orders/${order.id}/cancel`, { reason: `twice ${k}`, refundAmount: 1000 }, { 'idempotency-key': randomUUID() }),
    ),
  );
  expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
  // A refund above what was received is refused at the route, naming the field.
  const other = await contract(['100'], '10');
  const tooMuch = await agent.post(`/api/orders/${other.id}/cancel`, { reason: 'too much', refundAmount: 10.01 });
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body.error.details[0].field).toBe('body.refundAmount');
});

test('two approved cancellations running at once refund once, never more than was received', async () => {
  const order = await contract(['2716775'], '20000');
  // Nothing of the contract received yet: at most the deposit comes back.
  const over = await runActivityStep(sys, 'DEMO', 'orders.cancel', { orderId: order.id, amount: 99999999.99, reason: 'greedy' });
  expect(over.status).toBe('failing');
  const both = await Promise.all(
    [1, 2].map(() => runActivityStep(sys, 'DEMO', 'orders.cancel', { orderId: order.id, amount: 20000, reason: 'at once' })),
  );
  expect(both.map((p) => p.status).sort()).toEqual(['completed', 'failing']);
  const refunds = await sys.prisma.refund.findMany({ where: { orderId: order.id } });
  expect(refunds.map((r) => r.amount.toString())).toEqual(['20000']);
});

test('random sequences of receipts, some at once, and a cancellation keep the ledger exact (property)', async () => {
  // Amounts in fen as the users type them (up to ¥1,000,000.00, two decimals).
  const amount = fc.integer({ min: 1, max: 100_000_000 }).map(fenToYuan);
  await fc.assert(
    fc.asyncProperty(
      fc.array(amount, { minLength: 1, maxLength: 3 }),
      fc.array(fc.array(amount, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 200_000_000 }).map(fenToYuan),
      async (dues, waves, refund) => {
        const order = await contract(dues, '0');
        const sent: string[][] = dues.map(() => []);
        // Each wave's receipts run at once, on instalments picked round-robin.
        for (const wave of waves) {
          await Promise.all(
            wave.map((a, i) => {
              const seq = (i % dues.length) + 1;
              sent[seq - 1]!.push(a);
              return receipt(order.id, seq, a);
            }),
          );
        }
        let receivedFen = 0;
        for (const [i, due] of dues.entries()) {
          const row = await instalment(order.id, i + 1);
          const expected = sent[i]!.reduce((s, a) => s + toFen(a)!, 0);
          receivedFen += expected;
          // Received = the exact sum of the receipts; paid ⇔ covered.
          expect(toFen(row.paidAmount?.toString() ?? '0')).toBe(expected);
          expect(row.paidAt !== null).toBe(expected >= toFen(due)!);
        }
        // A refund is recorded exactly when it does not exceed what was received, and at most once.
        const cancel = await runActivityStep(sys, 'DEMO', 'orders.cancel', { orderId: order.id, amount: Number(refund), reason: 'prop' });
        const refunds = await sys.prisma.refund.findMany({ where: { orderId: order.id } });
        if (toFen(refund)! <= receivedFen) {
          expect(cancel.status).toBe('completed');
          expect(refunds.map((r) => toFen(r.amount.toString()))).toEqual([toFen(refund)]);
        } else {
          expect(cancel.status).toBe('failing');
          expect(refunds).toEqual([]);
        }
      },
    ),
    { numRuns: 6 },
  );
}, 240_000);
