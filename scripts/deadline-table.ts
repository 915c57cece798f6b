import {
  afterSales,
  contract,
  discountApproval,
  marketingExecution,
  marketingPhasePlan,
  orderCancellation,
  paymentReceipt,
  planAdjustment,
  planStudy,
  salesLaunch,
  subscription,
  visitorReception,
  walkSteps,
} from '../definitions';
import type { DeadlinePolicy, DueSpec, DurationSpec } from '../definitions';

/**
 * `npm run docs:deadlines`: prints the table of every human step of the sales
 * procedure with its due time and escalation policy (docs/sales-procedure.md,
 * "Default deadlines"), read from the definitions themselves (they hold the policy,
 * not the engine). test/unit/docs-content.test.ts holds the document to it.
 */
const duration = (d: DurationSpec) =>
  Object.entries(d)
    .map(([unit, n]) => `${n} ${unit === 'workingDays' ? 'working days' : unit}`.replace(/^1 (\w+?)s\b/, '1 $1'))
    .join(' ');
const due = (d: DueSpec): string => {
  if ('atVariable' in d)
    return `${[d.atVariable].flat().includes('dueAt') ? "the instalment's due date" : 'planned next contact'}, else ${d.ifMissing ? due(d.ifMissing) : 'now'}`;
  if ('byValueOf' in d)
    return `by ${[d.byValueOf].flat().pop()}: ${Object.entries(d.cases)
      .map(([k, v]) => `${k} ${duration(v)}`)
      .join(', ')}`;
  return duration(d);
};
const policy = (p?: DeadlinePolicy) =>
  [
    p?.remindAt?.length ? `remind at ${p.remindAt.map((f) => `${f * 100}%`).join(', ')}` : '',
    ...(p?.escalate ?? []).map((l) => `${l.atFraction * 100}% → ${l.toRole}`),
  ]
    .filter(Boolean)
    .join('; ');

/** The table, as markdown (unpadded: Prettier pads it in the document). */
export function deadlineTable(): string {
  const rows: string[] = ['| definition | step | owed by | due | reminders and escalation |', '| --- | --- | --- | --- | --- |'];
  const definitions = [salesLaunch, planStudy, visitorReception, subscription, planAdjustment, marketingPhasePlan, marketingExecution];
  // Issue 10's orders (version 2 of reception and subscription keeps version 1's deadlines).
  definitions.push(contract, discountApproval, paymentReceipt, orderCancellation, afterSales);
  for (const definition of definitions) {
    for (const { step } of walkSteps(definition.root)) {
      if (step.kind === 'task')
        rows.push(
          `| ${definition.key} | ${step.id} | ${step.role}${step.assignTo ? ' (a user)' : ''} | ${due(step.due)} | ${policy(step.deadline)} |`,
        );
      if (step.kind === 'approval') {
        for (const a of step.approvers)
          rows.push(`| ${definition.key} | ${step.id} (${step.mode ?? 'chain'}) | ${a.role} | ${due(a.due)} | ${policy(a.deadline)} |`);
        if (step.revise)
          rows.push(
            `| ${definition.key} | ${step.id} (revise) | ${step.revise.role} | ${due(step.revise.due)} | ${policy(step.revise.deadline)} |`,
          );
      }
    }
  }
  return rows.join('\n');
}

if (require.main === module) console.log(deadlineTable());
