import { AppError, type ErrorCode } from '../domain/errors.ts';

/**
 * The one table that turns an SMPP `command_status` into our error vocabulary (SMPP 3.4 §5.1.3).
 * Retryable: the SMSC is busy or broken for a while (throttled, queue full, system error) and the same
 * PDU may succeed later with backoff. Permanent: the PDU itself is wrong (bad number, bad coding) or the
 * account may not send it; retrying would only repeat the refusal.
 */
export interface StatusInfo {
  readonly name: string;
  readonly retryable: boolean;
  /** Minimum wait before a retry, when the SMSC asked us to slow down. */
  readonly backoffMs: number;
}

const T = (name: string, backoffMs = 1_000): StatusInfo => ({ name, retryable: true, backoffMs });
const P = (name: string): StatusInfo => ({ name, retryable: false, backoffMs: 0 });

export const SMPP_STATUS: Readonly<Record<number, StatusInfo>> = {
  0x0000: P('ESME_ROK'),
  0x0001: P('ESME_RINVMSGLEN'),
  0x0002: P('ESME_RINVCMDLEN'),
  0x0003: P('ESME_RINVCMDID'),
  // Not bound (the SMSC lost our bind): reconnecting fixes it.
  0x0004: T('ESME_RINVBNDSTS', 1_000),
  0x0005: P('ESME_RALYBND'),
  0x0008: T('ESME_RSYSERR', 5_000),
  0x000a: P('ESME_RINVSRCADR'),
  0x000b: P('ESME_RINVDSTADR'),
  0x000d: P('ESME_RBINDFAIL'),
  0x000e: P('ESME_RINVPASWD'),
  0x000f: P('ESME_RINVSYSID'),
  0x0014: T('ESME_RMSGQFUL', 5_000),
  0x0043: P('ESME_RINVESMCLASS'),
  0x0045: T('ESME_RSUBMITFAIL', 5_000),
  0x0048: P('ESME_RINVSRCTON'),
  0x0049: P('ESME_RINVSRCNPI'),
  0x0050: P('ESME_RINVDSTTON'),
  0x0051: P('ESME_RINVDSTNPI'),
  0x0053: P('ESME_RINVSYSTYP'),
  // Throttled: the SMSC's TPS limit; one second lets its window pass.
  0x0058: T('ESME_RTHROTTLED', 1_000),
  0x0064: T('ESME_RX_T_APPN', 5_000),
  0x0065: P('ESME_RX_P_APPN'),
  0x0066: P('ESME_RX_R_APPN'),
  0x00c0: P('ESME_RINVTLVSTREAM'),
  0x00c1: P('ESME_RTLVNOTALLWD'),
  0x00c2: P('ESME_RINVTLVLEN'),
  0x00c3: P('ESME_RMISSINGTLV'),
  0x00c4: P('ESME_RINVTLVVAL'),
  0x00fe: T('ESME_RDELIVERYFAILURE', 5_000),
  0x00ff: T('ESME_RUNKNOWNERR', 5_000),
  0x0101: P('ESME_RPROHIBITED'),
  0x0104: P('ESME_RINVDCS'),
};

/** Unknown codes: vendor-specific ranges (0x0400–0x04FF) and the rest are treated as permanent. */
export function statusInfo(status: number): StatusInfo {
  return SMPP_STATUS[status] ?? { name: `0x${status.toString(16).padStart(4, '0')}`, retryable: false, backoffMs: 0 };
}

/** Credentials problems: reconnecting with the same config cannot succeed, so we must not retry. */
export const BIND_CREDENTIAL_ERRORS: ReadonlySet<number> = new Set([0x000e, 0x000f, 0x0053]);

export function submitError(status: number, details: Record<string, unknown> = {}): AppError {
  const info = statusInfo(status);
  const code: ErrorCode = 'SMS.SUBMIT_REJECTED';
  return new AppError(code, `SMSC rejected submit_sm: ${info.name}`, {
    retryable: info.retryable,
    details: { ...details, commandStatus: status, statusName: info.name, backoffMs: info.backoffMs },
  });
}

export function bindError(status: number): AppError {
  const info = statusInfo(status);
  const credentials = BIND_CREDENTIAL_ERRORS.has(status);
  return new AppError(
    'SMS.BIND_REFUSED',
    credentials
      ? `SMSC refused the bind: ${info.name} (check smpp.systemId, smpp.password, smpp.systemType); not retrying`
      : `SMSC refused the bind: ${info.name}`,
    { retryable: !credentials, details: { commandStatus: status, statusName: info.name } },
  );
}
