#!/usr/bin/env bash
# One command that installs everything callkeeper needs on a fresh Debian 12 / Ubuntu machine:
# the Debian packages (speech fallback, test speech, prompt synthesis, the sqlite3 shell for the export
# benchmark, GNU time for the start-up benchmark's peak RSS, Chromium for the console's browser tests,
# PostgreSQL for the several-nodes store; tests start their own throwaway cluster, never the system
# one; libnet-smpp-perl, Perl's Net::SMPP, for the benchmark's independent SMSC, the one issue 15 measured
# against: bench/support/net-smpp-smsc.pl), then the npm dependencies exactly as locked, then the build
# (dist/, which bin/callkeeper.mjs runs).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  pocketsphinx pocketsphinx-en-us \
  espeak-ng sox sqlite3 time \
  asterisk-core-sounds-en-wav asterisk-core-sounds-en \
  chromium postgresql \
  libnet-smpp-perl \
  python3 make g++ ca-certificates
# Native addons (smart-whisper's whisper.cpp) are compiled here for this CPU: without -march=native ggml
# has no AVX/F16C kernels and Whisper runs 10-30x slower (src/speech/README.md).
CFLAGS="-march=native" CXXFLAGS="-march=native" npm ci --no-audit --no-fund
npm run build
