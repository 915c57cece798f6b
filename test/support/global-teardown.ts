import type { DevServer } from '../../scripts/temporal-server';

/** Stops the dev server that the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __temporalDevServer?: DevServer }).__temporalDevServer?.stop();
}
