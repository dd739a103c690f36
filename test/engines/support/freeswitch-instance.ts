import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EslInboundClient } from '../../../src/telephony/freeswitch/esl-inbound-client.ts';
import { memoryLogger } from '../../e2e/serve-harness.ts';
import { renderTemplates, TEMPLATES_DIR } from './config-template.ts';
import { EngineProcess, GaveUp, until } from './engine-process.ts';
import { freeTcpPort, freeUdpPorts } from './free-ports.ts';

/** FreeSWITCH is up in a few seconds on an idle machine; the tier's machine is shared. */
const BOOT_GUARD_MS = 90_000;

/**
 * A real FreeSWITCH for one test run: config from test/engines/freeswitch-conf rendered into `dir`,
 * every directory under `dir`, SIP and the inbound event socket on loopback ports picked for the run,
 * the dialplan's `socket` pointed at callkeeper's outbound-socket port. Restarting keeps the ports.
 */
export class FreeswitchInstance {
  readonly eslPassword = 'engine-tier';
  private readonly proc: EngineProcess;

  private constructor(
    bin: string,
    readonly dir: string,
    readonly sipPort: number,
    readonly eslPort: number,
    /** Where callkeeper listens for FreeSWITCH's per-call connections (freeswitch.listenPort). */
    readonly socketPort: number,
    /** Where the hangup-fault scenario's relay listens (esl-hangup-swallower.ts); it forwards to socketPort. */
    readonly swallowPort: number,
  ) {
    this.proc = new EngineProcess('freeswitch', bin, join(dir, 'freeswitch.out'));
  }

  static async create(bin: string, dir: string): Promise<FreeswitchInstance> {
    const [sipPort] = await freeUdpPorts(1);
    return new FreeswitchInstance(bin, dir, sipPort!, await freeTcpPort(), await freeTcpPort(), await freeTcpPort());
  }

  /** Where FreeSWITCH writes recordings (callkeeper reads them from the same path on this host). */
  get recordingsDir(): string {
    return join(this.dir, 'recordings');
  }

  async start(): Promise<void> {
    const conf = join(this.dir, 'conf');
    renderTemplates(join(TEMPLATES_DIR, 'freeswitch-conf'), conf, {
      SIP_PORT: this.sipPort,
      ESL_PORT: this.eslPort,
      ESL_PASSWORD: this.eslPassword,
      SOCKET_PORT: this.socketPort,
      SWALLOW_PORT: this.swallowPort,
    });
    const dirs = ['log', 'db', 'run', 'temp', 'recordings', 'storage', 'cache', 'sounds'];
    for (const d of dirs) mkdirSync(join(this.dir, d), { recursive: true });
    const at = (d: string): string => join(this.dir, d);
    // -nf -nc: stay in the foreground with no console; -nonat: loopback only, no NAT probing.
    // `sounds` is empty: like a fresh install without sound packages, FreeSWITCH has only what callkeeper brings.
    this.proc.start(
      ['-nf', '-nc', '-nonat', '-conf', conf, '-log', at('log'), '-db', at('db'), '-run', at('run'), '-temp', at('temp'),
        '-recordings', at('recordings'), '-storage', at('storage'), '-cache', at('cache'), '-sounds', at('sounds')],
      this.dir,
    );
    await until(() => this.profileRunning(), `FreeSWITCH's SIP profile on port ${this.sipPort}`, BOOT_GUARD_MS, 250).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\nfreeswitch log:\n${this.logTail()}`);
    });
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The end of FreeSWITCH's own log (mod_logfile), where its errors go. */
  logTail(lines = 40): string {
    try {
      return readFileSync(join(this.dir, 'log', 'freeswitch.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return this.proc.tail(lines);
    }
  }

  private async profileRunning(): Promise<boolean> {
    if (!this.proc.running) throw new GaveUp('FreeSWITCH exited during start-up');
    const client = await EslInboundClient.connect({ host: '127.0.0.1', port: this.eslPort, password: this.eslPassword, logger: memoryLogger(), connectTimeoutMs: 2_000 });
    try {
      // The profile's status lists its URL once it has bound the SIP port.
      return (await client.api('sofia status profile trunk')).includes(`127.0.0.1:${this.sipPort}`);
    } finally {
      await client.close();
    }
  }
}
