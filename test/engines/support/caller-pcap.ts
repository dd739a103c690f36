import { wavToCallPcm } from '../../../src/sim/sim-wav.ts';

/**
 * What a SIPp caller sends, as a pcap for SIPp's `play_pcap_audio` (test/engines/README.md): one RTP
 * stream of 20 ms G.711 µ-law frames for the whole call, silence between the caller's words (a phone
 * keeps sending frames, and Asterisk's silence detection only counts frames it receives), and RFC 4733
 * telephone-events for keys. SIPp replaces the addresses and ports; it sends the RTP as written here.
 */
export type CallerPart =
  | { readonly kind: 'silence'; readonly ms: number }
  /** 8 kHz mono 16-bit WAV (e.g. test/e2e/tone-speech.ts `sayPhrase`). */
  | { readonly kind: 'audio'; readonly wav: Buffer }
  | { readonly kind: 'key'; readonly digit: string; readonly ms?: number };

const FRAME_SAMPLES = 160; // 20 ms at 8 kHz: what SIP phones send for PCMU
const PCMU = 0;
/** The telephone-event payload type the caller's SDP offers (test/engines/support/sipp-scenario.ts). */
export const TELEPHONE_EVENT_PT = 101;
const SSRC = 0x0c4ee9e5;
/** µ-law of a zero sample: digital silence on the wire. */
const ULAW_SILENCE = 0xff;

const EVENT_CODES: Record<string, number> = { '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15 };

export function ulawEncode(sample: number): number {
  // ITU-T G.711 µ-law with the usual bias of 0x84 and clip at 32635.
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

interface RtpPacket {
  readonly atMs: number;
  readonly bytes: Buffer;
}

/** The caller's whole stream as RTP packets with their send times. */
export function callerRtp(parts: readonly CallerPart[]): RtpPacket[] {
  const packets: RtpPacket[] = [];
  let seq = 1;
  let timestamp = 0;
  let atMs = 0;
  let marker = true;
  const audioFrame = (payload: Buffer): void => {
    packets.push({ atMs, bytes: rtp(PCMU, marker, seq++, timestamp, payload) });
    marker = false;
    timestamp += FRAME_SAMPLES;
    atMs += 20;
  };
  for (const part of parts) {
    if (part.kind === 'silence') {
      for (let i = 0; i < Math.ceil(part.ms / 20); i++) audioFrame(Buffer.alloc(FRAME_SAMPLES, ULAW_SILENCE));
    } else if (part.kind === 'audio') {
      const pcm = wavToCallPcm(part.wav);
      for (let off = 0; off < pcm.length; off += FRAME_SAMPLES) {
        const frame = Buffer.alloc(FRAME_SAMPLES, ULAW_SILENCE);
        for (let i = 0; i < FRAME_SAMPLES && off + i < pcm.length; i++) frame[i] = ulawEncode(pcm[off + i] ?? 0);
        audioFrame(frame);
      }
    } else {
      // RFC 4733 §2.5: one event, all packets with the event's start timestamp, growing duration, the
      // end packet sent three times; audio pauses meanwhile, as most phones do.
      const code = EVENT_CODES[part.digit] ?? Number(part.digit);
      if (!Number.isInteger(code) || code < 0 || code > 15) throw new Error(`not a DTMF key: ${part.digit}`);
      const frames = Math.ceil((part.ms ?? 200) / 20);
      const start = timestamp;
      for (let i = 1; i <= frames + 2; i++) {
        const end = i >= frames;
        const duration = Math.min(i, frames) * FRAME_SAMPLES;
        const payload = Buffer.from([code, (end ? 0x80 : 0) | 10, (duration >> 8) & 0xff, duration & 0xff]);
        packets.push({ atMs, bytes: rtp(TELEPHONE_EVENT_PT, i === 1, seq++, start, payload) });
        if (i <= frames) atMs += 20;
      }
      timestamp += frames * FRAME_SAMPLES;
      marker = true;
    }
  }
  return packets;
}

function rtp(pt: number, marker: boolean, seq: number, timestamp: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80; // version 2, no padding, no extension, no CSRC
  h[1] = (marker ? 0x80 : 0) | pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(timestamp >>> 0, 4);
  h.writeUInt32BE(SSRC, 8);
  return Buffer.concat([h, payload]);
}

/**
 * A classic pcap (linktype 1, Ethernet) of the RTP packets as UDP over IPv4 on loopback. SIPp's pcap
 * reader (prepare_pcap.c) takes Ethernet frames carrying IPv4/UDP and keeps each packet's time offset.
 */
export function rtpPcap(packets: readonly RtpPacket[]): Buffer {
  const chunks: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeInt32LE(0, 8);
  global.writeUInt32LE(0, 12);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  chunks.push(global);
  for (const p of packets) {
    const udpLen = 8 + p.bytes.length;
    const ipLen = 20 + udpLen;
    const frame = Buffer.alloc(14 + ipLen);
    frame.writeUInt16BE(0x0800, 12); // EtherType IPv4; MAC addresses stay zero
    const ip = 14;
    frame[ip] = 0x45;
    frame.writeUInt16BE(ipLen, ip + 2);
    frame[ip + 8] = 64;
    frame[ip + 9] = 17; // UDP
    frame.writeUInt32BE(0x7f000001, ip + 12);
    frame.writeUInt32BE(0x7f000001, ip + 16);
    frame.writeUInt16BE(ipChecksum(frame.subarray(ip, ip + 20)), ip + 10);
    const udp = ip + 20;
    frame.writeUInt16BE(40000, udp);
    frame.writeUInt16BE(40002, udp + 2);
    frame.writeUInt16BE(udpLen, udp + 4);
    p.bytes.copy(frame, udp + 8);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
    rec.writeUInt32LE(Math.round((p.atMs % 1000) * 1000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    chunks.push(rec, frame);
  }
  return Buffer.concat(chunks);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Length of the caller's stream in ms. */
export function partsDurationMs(parts: readonly CallerPart[]): number {
  let ms = 0;
  for (const p of parts) {
    if (p.kind === 'silence') ms += Math.ceil(p.ms / 20) * 20;
    else if (p.kind === 'audio') ms += Math.ceil(wavToCallPcm(p.wav).length / FRAME_SAMPLES) * 20;
    else ms += Math.ceil((p.ms ?? 200) / 20) * 20;
  }
  return ms;
}
