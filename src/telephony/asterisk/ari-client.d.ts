/**
 * The slice of `ari-client` 2.2.0 callkeeper uses. The package ships no types; its resource methods are
 * built at connect time from the Swagger documents (each takes one params object and returns a
 * bluebird promise). Only what AriRest calls is declared here.
 */
declare module 'ari-client' {
  type Params = Record<string, string | number | boolean | undefined>;
  type Op<T = unknown> = (params?: Params) => PromiseLike<T>;

  export interface AriClient {
    channels: { answer: Op; play: Op; record: Op; hangup: Op; get: Op; list: Op; setChannelVar: Op };
    playbacks: { get: Op; stop: Op };
    recordings: { getLive: Op; stop: Op; getStoredFile: Op<Buffer>; deleteStored: Op };
    asterisk: { ping: Op };
    applications: { get: Op };
  }

  export function connect(url: string, username: string, password: string): PromiseLike<AriClient>;

  const ari: { connect: typeof connect };
  export default ari;
}
