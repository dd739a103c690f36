import type { EngineCapabilities } from '../../domain/ports/call-engine.ts';

/**
 * What Asterisk through ARI can do. Its own file, without ari-client, so that
 * the purge and `doctor` read it without loading the adapter (src/compose/engine-profile.ts).
 */
export const ARI_CAPABILITIES: EngineCapabilities = {
  // The stored recording is fetched and deleted over ARI (ari-rest.ts): Asterisk may run on another host.
  fetchesRecordingsRemotely: true,
  // TALK_DETECT on the channel while recording (ari-call-leg.ts).
  waitsForSpeech: true,
};
