import type { ProcessDefinition } from '../../../types';
import frozen from '../../frozen/sales-launch@4.json';

/**
 * 5.1–5.13 — the project's sales launch, version 4 (superseded by version 5, whose phases keep their values to themselves and hand marketing the plan last confirmed in the phase; version 3 — whose analysis opens with the phase's figures — plus the three effect summaries opening with their leads and deals): one per project, months long.
 *
 * - 5.1: the supervisor starts it with the overall plan (《项目销售总体计划》) as a
 *   typed document — phases with their targets, price strategy, marketing budget —
 *   and the general manager approves it (or sends it back) before anything begins.
 * - 5.2: every team member studies the plan (one `plan-study` per member); 5.3: the
 *   four readiness items run in parallel; then the launch (开盘).
 * - Phases repeat. Each runs until the supervisor declares its end or a month has
 *   passed (5.4–5.6 happen in their own `visitor-reception` processes); then the
 *   AE's analysis and the customer meeting (5.7), the three marketing briefs (5.8),
 *   the phase summary (5.9) and, when it calls for one, a plan adjustment (5.9); the
 *   next marketing plan (5.10); once it is confirmed its execution (5.11) starts
 *   beside the next phase (5.12), which the supervisor puts into execution.
 * - A rejected adjustment or marketing plan is recorded and the phase goes on: the
 *   current plan stands, and a revised proposal can be made next phase.
 * - §4.3.2: management may send a correction at any time; it goes to the supervisor
 *   as a plan adjustment carrying management's instruction, which the general
 *   manager reviews (management does not confirm its own decision).
 * - `sold-out` (sent by the supervisor or management, or raised by the system when
 *   the last unit is sold) or `closed-by-management` ends the current phase at once:
 *   its open tasks are withdrawn, its sub-processes cancelled, and the close-out
 *   summary (5.13) follows.
 *
 * Frozen as it was published: its canonical JSON (`../../frozen/sales-launch@4.json`) is the
 * definition, so an edit to today's forms or policies cannot change it; never edit
 * that file (test/unit/definition-versions.test.ts holds its checksum).
 */
export const salesLaunchV4 = frozen as unknown as ProcessDefinition;
