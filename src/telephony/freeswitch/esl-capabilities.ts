import type { EngineCapabilities } from '../../domain/ports/call-engine.ts';

/**
 * What FreeSWITCH through ESL can do (README.md in this folder, "Capabilities"). Its own file, without
 * the socket code, so that the purge and `doctor` read it without loading the adapter
 * (src/compose/engine-profile.ts).
 */
export const ESL_CAPABILITIES: EngineCapabilities = {
  // The file is read from where FreeSWITCH wrote it (same host or a mounted share), not over ESL.
  fetchesRecordingsRemotely: false,
  // `record_session` with RECORD_INITIAL_TIMEOUT_MS / RECORD_FINAL_TIMEOUT_MS (esl-record-args.ts).
  waitsForSpeech: true,
};
