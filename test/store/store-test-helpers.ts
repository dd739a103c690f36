import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewConsentEvent } from '../../src/domain/consent.ts';

/** A fresh temp directory per test; `cleanup` removes it. */
export function tempDir(prefix = 'callkeeper-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function consentEvent(over: Partial<NewConsentEvent> = {}): NewConsentEvent {
  return {
    event: 'granted',
    businessId: 1,
    did: '+15125550100',
    consumer: '+15125550123',
    method: 'verbal',
    scriptVersion: 'v1',
    scriptText: 'Would it be okay if Acme texts you? Reply STOP to opt out.',
    transcript: 'yes sure',
    audioPath: null,
    audioSha256: null,
    callId: null,
    source: 'call',
    ...over,
  };
}
