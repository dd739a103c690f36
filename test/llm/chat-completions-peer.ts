import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A chat-completions server on 127.0.0.1, port 0, answering as La Plateforme's `POST /v1/chat/completions`
 * does (the shape `@mistralai/mistralai` parses). Each request is answered by the next scripted reply
 * (the last one repeats); every request body is kept, so tests can check what the SDK sent.
 */
export type PeerReply =
  | { readonly kind: 'json'; readonly content: unknown; readonly model?: string }
  | { readonly kind: 'content'; readonly content: string }
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly kind: 'raw'; readonly body: string }
  | { readonly kind: 'slow'; readonly ms: number; readonly then: PeerReply };

export interface SeenRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export class ChatCompletionsPeer {
  readonly requests: SeenRequest[] = [];
  private script: PeerReply[] = [];
  private router: ((body: Record<string, unknown>) => PeerReply) | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<ChatCompletionsPeer> {
    let peer!: ChatCompletionsPeer;
    const server = createServer((req, res) => peer.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    peer = new ChatCompletionsPeer(server, `http://127.0.0.1:${port}`);
    return peer;
  }

  answer(...replies: PeerReply[]): this {
    this.script = replies;
    this.router = null;
    return this;
  }

  /** Answers each request by what it asks (e.g. by `response_format.json_schema.name`). */
  answerBy(router: (body: Record<string, unknown>) => PeerReply): this {
    this.router = router;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // kept empty: the test asserts on what it needs
      }
      this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const reply = this.router !== null ? this.router(body) : this.script.length > 1 ? this.script.shift()! : this.script[0];
      this.reply(res, reply ?? { kind: 'status', status: 500 }, String(body.model ?? 'unknown'));
    });
  }

  private reply(res: ServerResponse, r: PeerReply, model: string): void {
    switch (r.kind) {
      case 'slow': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!res.destroyed) this.reply(res, r.then, model);
        }, r.ms);
        this.timers.add(t);
        return;
      }
      case 'status':
        res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
        res.end(r.body ?? JSON.stringify({ object: 'error', message: `status ${r.status}`, type: 'error' }));
        return;
      case 'raw':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(r.body);
        return;
      case 'json':
      case 'content': {
        const content = r.kind === 'json' ? JSON.stringify(r.content) : r.content;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'cmpl-test',
            object: 'chat.completion',
            created: 1_750_000_000,
            model: r.kind === 'json' && r.model ? r.model : model,
            choices: [{ index: 0, message: { role: 'assistant', content, tool_calls: null }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
        return;
      }
    }
  }
}
