import { connect } from 'node:net';

/** The status line of a raw HTTP/1.1 exchange. */
export interface RawResult {
  status: number;
  /** The head and the start of the body, as text (for failure messages). */
  text: string;
}

/**
 * Sends bytes exactly as given — invalid UTF-8 in the path, headers or body,
 * which `fetch` and `http.request` refuse to send — and resolves with the status as
 * soon as the response head has arrived (a stream answer is not waited for).
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: Buffer | string,
  headers: Record<string, Buffer | string>,
  body?: Buffer | string,
  timeoutMs = 20_000,
): Promise<RawResult> {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const lines: Buffer[] = [Buffer.concat([Buffer.from(`${method} `), Buffer.from(path), Buffer.from(' HTTP/1.1\r\n')])];
  const all: Record<string, Buffer | string> = { host: url.host, connection: 'close', ...headers };
  if (payload) all['content-length'] = String(payload.length);
  for (const [name, value] of Object.entries(all))
    lines.push(Buffer.concat([Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n')]));
  lines.push(Buffer.from('\r\n'));
  if (payload) lines.push(payload);

  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${method} ${path.toString()} in ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      const text = received.toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      clearTimeout(timer);
      socket.destroy();
      if (match) resolve({ status: Number(match[1]), text: text.slice(0, 600) });
      else reject(new Error(`no HTTP answer to ${method} ${path.toString()}: ${JSON.stringify(text.slice(0, 200))}`));
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // The head is enough; a server-sent-events answer would never end.
      if (received.includes('\r\n\r\n') && !received.toString('latin1').includes('content-length')) finish();
    });
    socket.on('end', finish);
    socket.on('error', (err) => {
      // The server may close after answering while we still write a large body.
      if (received.length > 0) finish();
      else {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.write(Buffer.concat(lines));
  });
}
