import type { ChainVerification } from '../../domain/ledger/ledger-chain.ts';
import type { ConsentLedger } from '../../domain/ports/consent-ledger.ts';

/** `consent verify`: the one line an operator reads, and whether it is a failure (exit 1). */
export function verifyLedger(ledger: ConsentLedger): { result: ChainVerification; line: string } {
  const result = ledger.verify();
  const line = result.ok
    ? `ok ${result.count} records`
    : `ledger tampered: first bad record ${result.badId} (${result.reason}): ${result.detail}; ${result.count} records before it are intact`;
  return { result, line };
}
