import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail the test SMTP server received. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  key: string;
}

/** A real SMTP server on loopback that keeps what it receives; it can be stopped and started on the same port. */
export interface MailServer {
  port: number;
  url: string;
  mails: ReceivedMail[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts an SMTP server (no TLS, no auth) for the tests. */
export async function startMailServer(): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  let port = 0;
  const listen = async () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
            mails.push({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              messageId: mail.messageId ?? '',
              key: String(mail.headers.get('x-notification-key') ?? ''),
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as { port: number }).port;
    server = s;
  };
  await listen();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
  };
}

/** A request a robot receiver got. */
export interface RobotRequest {
  path: string;
  query: URLSearchParams;
  body: any;
  status: number;
  signatureOk: boolean | null;
}

/** A local HTTP server standing in for WeCom and DingTalk: checks DingTalk's signature, answers a scripted status. */
export interface RobotReceiver {
  url: string;
  requests: RobotRequest[];
  /** Statuses for the next requests, in order; afterwards 200 `{"errcode":0}`. */
  script: number[];
  stop(): Promise<void>;
}

/** Checks a DingTalk signature the way the platform documents it (computed here independently of the app). */
export function dingTalkSignatureValid(query: URLSearchParams, secret: string, now = Date.now()): boolean {
  const timestamp = query.get('timestamp');
  const sign = query.get('sign');
  if (!timestamp || !sign || Math.abs(now - Number(timestamp)) > 3600_000) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return sign === expected;
}

/** Starts the robot receiver; `secrets` maps a path to the DingTalk secret expected there. */
export async function startRobotReceiver(secrets: Record<string, string> = {}): Promise<RobotReceiver> {
  const requests: RobotRequest[] = [];
  const script: number[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => resolve(data));
    });
  const server: Server = createServer((req, res) => {
    void read(req).then((text) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const secret = secrets[url.pathname];
      const status = script.shift() ?? 200;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      requests.push({
        path: url.pathname,
        query: url.searchParams,
        body,
        status,
        signatureOk: secret === undefined ? null : dingTalkSignatureValid(url.searchParams, secret),
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ errcode: 0, errmsg: 'ok' }) : JSON.stringify({ errcode: 500, errmsg: 'busy' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
