import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderTemplates, TEMPLATES_DIR } from './config-template.ts';
import { EngineProcess, GaveUp, until } from './engine-process.ts';
import { freeTcpPort, freeUdpPorts } from './free-ports.ts';

/** Loading ~120 modules takes a few seconds on an idle machine; the tier's machine is shared. */
const BOOT_GUARD_MS = 90_000;

/**
 * A real Asterisk for one test run: config from test/engines/asterisk-etc rendered into `dir`, every
 * writable directory under `dir`, SIP and ARI on loopback ports picked for the run. Restarting keeps
 * the ports (callkeeper reconnects to the same URL).
 */
export class AsteriskInstance {
  readonly ariUsername = 'callkeeper';
  readonly ariPassword = 'engine-tier';
  private readonly proc: EngineProcess;

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly sipPort: number,
    readonly httpPort: number,
  ) {
    this.proc = new EngineProcess('asterisk', bin, join(dir, 'asterisk.out'));
  }

  static async create(bin: string, dir: string): Promise<AsteriskInstance> {
    const [sipPort] = await freeUdpPorts(1);
    return new AsteriskInstance(bin, dir, sipPort!, await freeTcpPort());
  }

  get ariUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** <prefix>/sbin/asterisk -> <prefix>: modules and the REST API docs of the installed Asterisk. */
  private get prefix(): string {
    return dirname(dirname(this.bin));
  }

  async start(): Promise<void> {
    const etc = join(this.dir, 'etc');
    renderTemplates(join(TEMPLATES_DIR, 'asterisk-etc'), etc, {
      PREFIX: this.prefix,
      RUN_DIR: this.dir,
      SIP_PORT: this.sipPort,
      HTTP_PORT: this.httpPort,
      ARI_PASSWORD: this.ariPassword,
    });
    for (const d of ['cache', 'varlib', 'data', 'run', 'log']) mkdirSync(join(this.dir, d), { recursive: true });
    // What Asterisk's `make install` (installdirs) creates under the spool: ARI stores recordings in
    // spool/recording and fails a record with "No such file or directory" when it is missing.
    for (const d of ['recording', 'tmp', 'monitor', 'voicemail', 'system', 'dictate', 'meetme']) mkdirSync(join(this.dir, 'spool', d), { recursive: true });
    // astdatadir: the installed one's parts (XML documentation, which Stasis needs to start; rest-api,
    // which ari-client reads), but no sounds and no astdb of its own.
    const installedData = join(this.prefix, 'var', 'lib', 'asterisk');
    for (const name of readdirSync(installedData)) {
      const link = join(this.dir, 'data', name);
      if (name === 'sounds' || name === 'astdb.sqlite3' || existsSync(link)) continue;
      symlinkSync(join(installedData, name), link);
    }
    // -f: foreground, no console; -n: no colours in the log; -C: this run's config.
    this.proc.start(['-f', '-n', '-C', join(etc, 'asterisk.conf')], this.dir);
    await until(() => this.ariAnswers(), `Asterisk's ARI on ${this.ariUrl}`, BOOT_GUARD_MS, 250).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\nasterisk log:\n${this.proc.tail()}`);
    });
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  logTail(lines = 40): string {
    return this.proc.tail(lines);
  }

  private async ariAnswers(): Promise<boolean> {
    if (!this.proc.running) throw new GaveUp('Asterisk exited during start-up');
    const auth = Buffer.from(`${this.ariUsername}:${this.ariPassword}`).toString('base64');
    const res = await fetch(`${this.ariUrl}/ari/asterisk/info`, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  }
}
