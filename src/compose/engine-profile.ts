import type { Config } from '../config/config-schema.ts';
import type { EngineCapabilities } from '../domain/ports/call-engine.ts';
import { ARI_CAPABILITIES } from '../telephony/asterisk/ari-capabilities.ts';
import { ESL_CAPABILITIES } from '../telephony/freeswitch/esl-capabilities.ts';

/**
 * What the configured engine is, known without loading its adapter (the purge, evidence export and
 * `doctor` run without one). With createEngine (call-engine-factory.ts), the only place that reads
 * `config.engine`; everything else reads the profile's capabilities.
 */
export interface EngineProfile {
  /** The link's name in `/readyz` and `callkeeper_connection_up`. */
  readonly link: 'ari' | 'esl';
  /** The same object the engine's adapter declares as `engine.capabilities`. */
  readonly capabilities: EngineCapabilities;
  /**
   * The folder on this host where the engine's own recordings appear, when it has one configured; used
   * only when the engine does not fetch recordings over its API (`fetchesRecordingsRemotely: false`).
   */
  readonly recordingsDirHere: string | null;
}

export function engineProfile(config: Config): EngineProfile {
  if (config.engine === 'asterisk') return { link: 'ari', capabilities: ARI_CAPABILITIES, recordingsDirHere: null };
  const fs = config.freeswitch;
  return { link: 'esl', capabilities: ESL_CAPABILITIES, recordingsDirHere: fs.localRecordingsDir ?? fs.recordingsDir };
}

/** The engine's recordings folder this host must read and clean, or null when the engine hands audio over its API. */
export function engineRecordingsHere(profile: EngineProfile): string | null {
  return profile.capabilities.fetchesRecordingsRemotely ? null : profile.recordingsDirHere;
}
