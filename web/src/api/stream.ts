import { tokenStore } from './client';

/**
 * Reads the server-sent events of a stream of the API (`/api/notifications/stream`,
 * `/api/tasks/changes`) with the session's token — EventSource cannot send headers,
 * so this is fetch and a stream reader — and calls `onEvent` for each event.
 * Reconnects after a pause until `signal` aborts.
 */
export async function followEvents(path: string, signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await fetch(path, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` }, signal });
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) onEvent(event, data);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    // The stream ended or failed: wait a little, then listen again.
    await new Promise((r) => setTimeout(r, 3000));
  }
}
