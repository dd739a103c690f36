/**
 * Whether a listen address is reachable only from this host. The admin server may run without a token
 * only there (src/http/admin-http-server.ts); `serve`, `config check` and `doctor` check it up front
 * (src/config/serve-config-rules.ts).
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
