// Money is exact: amounts are integer fen (分) while they are computed, and yuan with
// two decimals where they are stored (Decimal(14, 2)) or shown. JavaScript numbers
// hold whole fen exactly far beyond any price (2^53 fen is ~90 trillion yuan), so
// adding and comparing fen never rounds, where adding yuan as floats does
// (1234567.30 − 1214567.10 = 20000.199999999953).

/** The largest amount of one money field: what Decimal(14, 2) holds, ¥999,999,999,999.99. */
export const MAX_YUAN = 999_999_999_999.99;

/** An amount in fen (an integer). */
export type Fen = number;

/**
 * Yuan (a number, or a decimal string as Prisma and JSON give them) as fen, or `null`
 * when it is not an amount of at most two decimals within {@link MAX_YUAN}.
 */
export function toFen(yuan: unknown): Fen | null {
  const text = typeof yuan === 'number' ? (Number.isFinite(yuan) ? String(yuan) : '') : typeof yuan === 'string' ? yuan.trim() : '';
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  // A number like 1e21 or 0.1 + 0.2 prints in a form that is no amount: refused, not rounded.
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > MAX_YUAN * 100) return null;
  return m[1] ? -fen : fen;
}

/** Fen as yuan with two decimals (a string, exact, as Decimal columns take them). */
export function fenToYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The sum of amounts in yuan (numbers, decimal strings, Prisma decimals; missing counts 0), in fen. */
export function sumFen(amounts: readonly unknown[]): Fen {
  return amounts.reduce<Fen>((sum, a) => sum + (a === null || a === undefined ? 0 : (toFen(String(a)) ?? 0)), 0);
}

/** How one instalment stands after its receipts: covered only when the receipts reach the amount due. */
export function instalmentState(dueFen: Fen, receivedFen: Fen): { covered: boolean; shortFen: Fen; overFen: Fen } {
  return {
    covered: receivedFen >= dueFen,
    shortFen: Math.max(0, dueFen - receivedFen),
    overFen: Math.max(0, receivedFen - dueFen),
  };
}

/** Why a refund of `refundFen` cannot be paid out of `receivedFen`, if it cannot (never more than was received). */
export function refundProblem(refundFen: Fen, receivedFen: Fen): string | undefined {
  if (refundFen < 0) return 'a refund cannot be negative';
  if (refundFen > receivedFen) return `the refund ${fenToYuan(refundFen)} exceeds what was received, ${fenToYuan(receivedFen)}`;
  return undefined;
}
