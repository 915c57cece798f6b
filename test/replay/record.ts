import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { migrate } from '../../db/migrate';
import { recreateDatabase } from '../support/global-setup';
import { seedDemo } from '../../scripts/seed';
import { resolveTestServer } from '../../scripts/temporal-server';
import { startTimeSkipping } from '../support/time-skipping';
import { BUILT_IN_DEFINITIONS, walkSteps, type ProcessDefinition } from '../../definitions';
import { processInterpreter } from '../../workflows';
import { SCENARIOS, scenarioInput } from './scenarios';

/** The built-in definitions a definition's sub-process steps name, transitively (latest versions). */
function resolveSubDefinitions(
  definition: ProcessDefinition,
  into: Record<string, ProcessDefinition> = {},
): Record<string, ProcessDefinition> {
  for (const { step } of walkSteps(definition.root)) {
    if (step.kind !== 'subprocess') continue;
    const child = BUILT_IN_DEFINITIONS.filter(
      (d) => d.key === step.definition && (step.version === undefined || d.version === step.version),
    ).sort((a, b) => b.version - a.version)[0];
    if (!child) throw new Error(`no built-in ${step.definition}`);
    into[`${step.definition}@${step.version ?? 'latest'}`] = child;
    resolveSubDefinitions(child, into);
  }
  return into;
}

/**
 * `npm run replay:record`: runs every scenario on the time-skipping server and
 * writes its history to `test/replay/histories/`. Run it when a definition or the
 * interpreter changes on purpose; commit the files. The replay test then fails on
 * any later change that would break instances running on the recorded code.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/salesproc_record';
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const system = await startTimeSkipping(undefined, { databaseUrl, testServerPath: resolveTestServer() });
  const { env, prisma, taskQueue } = system;
  await seedDemo(prisma, `record-${randomUUID()}`);
  const dir = join(__dirname, 'histories');
  mkdirSync(dir, { recursive: true });
  try {
    // `npm run replay:record -- <scenario>…` records only the named scenarios, so that
    // adding one leaves the histories already committed as they are.
    const only = process.argv.slice(2);
    for (const scenario of SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name))) {
      const input = typeof scenario.input === 'function' ? await scenario.input(prisma) : scenario.input;
      const starter = scenario.startedBy ? await prisma.user.findUniqueOrThrow({ where: { username: scenario.startedBy } }) : undefined;
      const startedBy = starter ? { userId: starter.id, username: starter.username } : undefined;
      const processId = `${scenario.definition.key}:${scenario.name}-${randomUUID().slice(0, 8)}`;
      const subDefinitions = scenario.subDefinitions ?? resolveSubDefinitions(scenario.definition);
      const handle = await env.client.workflow.start(processInterpreter, {
        workflowId: processId,
        taskQueue,
        args: [scenarioInput(scenario, processId, subDefinitions, { input, startedBy })],
      });
      await scenario.drive({ env, prisma, handle, processId });
      await handle.result();
      // The process and every sub-process it started, each under its own definition.
      const tree = await prisma.processInstance.findMany({ where: { id: { startsWith: processId } }, orderBy: { startedAt: 'asc' } });
      for (const [i, row] of tree.entries()) {
        const file = join(dir, `${row.definitionKey}@${row.definitionVersion}.${scenario.name}${i ? `.${i}` : ''}.json`);
        // Protobuf binary, base64: the SDK's historyToJSON trips over the two protobufjs
        // copies npm installs side by side here, and the binary form round-trips exactly.
        const encoded = temporal.api.history.v1.History.encode(await env.client.workflow.getHandle(row.id).fetchHistory()).finish();
        const recorded = { workflowId: row.id, encoding: 'protobuf/base64', history: Buffer.from(encoded).toString('base64') };
        writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
        console.log(`recorded ${file}`);
      }
    }
  } finally {
    await system.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
