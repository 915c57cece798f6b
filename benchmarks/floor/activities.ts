/** A no-op activity: the cost of one activity round trip, nothing else. */
export async function noop(): Promise<void> {}
