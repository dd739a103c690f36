import { AppError } from '../../domain/errors.ts';

/**
 * Event Socket commands, serialized to one buffer and written with ONE `socket.write`.
 *
 * modesl 1.2.1 writes a command line by line (up to 6 writes, trace 09) and never sets TCP_NODELAY;
 * with Nagle and delayed ACK every command then waits ~42 ms for its reply, against under 2 ms for a
 * single write (test/fixtures/freeswitch/traces/README.md "modesl 1.2.1"). One write per command (plus `setNoDelay`) avoids it.
 */
export interface EslCommand {
  /** The command line: `connect`, `myevents`, `api status`, `sendmsg`, ... */
  readonly line: string;
  readonly headers?: readonly (readonly [string, string])[];
  /** Sent with `content-type: text/plain` and a byte `content-length` (05, 07: may hold newlines). */
  readonly body?: string;
}

export function serializeCommand(cmd: EslCommand): Buffer {
  assertSingleLine('command', cmd.line);
  let text = `${cmd.line}\n`;
  for (const [name, value] of cmd.headers ?? []) {
    assertSingleLine(name, name);
    assertSingleLine(name, value);
    text += `${name}: ${value}\n`;
  }
  if (cmd.body !== undefined) {
    text += `content-type: text/plain\ncontent-length: ${Buffer.byteLength(cmd.body, 'utf8')}\n\n${cmd.body}`;
  } else {
    text += '\n';
  }
  return Buffer.from(text, 'utf8');
}

/** A newline in a line or header would end the command early and inject the rest as a new command. */
function assertSingleLine(what: string, s: string): void {
  if (/[\r\n]/.test(s)) {
    throw new AppError('INPUT.INVALID', 'ESL command field contains a line break', { details: { field: what } });
  }
}

/**
 * `sendmsg` executing a dialplan application. In `async full` mode FreeSWITCH answers `+OK` at once
 * and queues the application; its end comes as CHANNEL_EXECUTE_COMPLETE whose `Application-UUID` is
 * our `Event-UUID` (test/fixtures/freeswitch/traces/README.md "sendmsg in async mode"). An argument with a line break goes as
 * the body, which FreeSWITCH accepts in place of `execute-app-arg` (05, 07).
 */
export function executeCommand(app: string, arg: string | undefined, eventUuid: string): EslCommand {
  const headers: [string, string][] = [
    ['call-command', 'execute'],
    ['execute-app-name', app],
    ['Event-UUID', eventUuid],
  ];
  if (arg === undefined || arg === '') return { line: 'sendmsg', headers };
  if (/[\r\n]/.test(arg)) return { line: 'sendmsg', headers, body: arg };
  headers.push(['execute-app-arg', arg]);
  return { line: 'sendmsg', headers };
}

/** `sendmsg` hangup, as in traces 01, 04, 08 and 10. */
export function hangupCommand(cause = 'NORMAL_CLEARING'): EslCommand {
  return {
    line: 'sendmsg',
    headers: [
      ['call-command', 'hangup'],
      ['hangup-cause', cause],
    ],
  };
}
