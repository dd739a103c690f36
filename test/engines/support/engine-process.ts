import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

/** A guard on an engine's own shutdown: both stop in about a second; past this the process is killed. */
const STOP_GUARD_MS = 20_000;

/**
 * One engine program run in the foreground as a child of the test, its output in a log file. Stopping
 * sends SIGTERM (both engines shut down on it) and SIGKILL when that does not end it in time.
 */
export class EngineProcess {
  private child: ChildProcess | null = null;
  private out: WriteStream | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly bin: string,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(args: readonly string[], cwd: string): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(this.bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(this.out, { end: false });
    child.stderr?.pipe(this.out, { end: false });
    // A test run that dies must not leave an engine behind holding its ports.
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exited = new Promise((resolve) =>
      child.once('close', () => {
        process.off('exit', killOnExit);
        resolve();
      }),
    );
    this.child = child;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.running) {
      child.kill('SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GUARD_MS).unref())]);
      if (!done) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    this.child = null;
    this.out?.end();
  }

  /** The last lines of the engine's output, for a failure message. */
  tail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }
}

/** Thrown by a probe when waiting longer cannot help (the engine exited). */
export class GaveUp extends Error {}

/** Polls until `probe` resolves true; fails naming what did not happen (every wait in the tier is bounded). */
export async function until(probe: () => Promise<boolean> | boolean, what: string, guardMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    const ok = await Promise.resolve()
      .then(probe)
      .catch((e: unknown) => {
        if (e instanceof GaveUp) throw e;
        return false;
      });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${guardMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
