import { sumFen, type Fen } from '../domain';
import type { Db } from './client';

/**
 * What the buyer has paid on a holding (one unit held by one process tree): the
 * subscription's deposit (定金) and every receipt of the contract's instalments, in
 * fen. A refund never exceeds it (the cancellation's route and activities check).
 */
export async function receivedFen(db: Db, order: { holderProcessId: string; unitId: string }): Promise<Fen> {
  const orders = await db.salesOrder.findMany({
    where: { holderProcessId: order.holderProcessId, unitId: order.unitId },
    select: { deposit: true, payments: { select: { paidAmount: true } } },
  });
  return sumFen(orders.map((o) => o.deposit?.toString())) + sumFen(orders.flatMap((o) => o.payments.map((p) => p.paidAmount?.toString())));
}
