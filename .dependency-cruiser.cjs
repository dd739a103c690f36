/** Dependency direction (README.md "Layout"): domain <- app <- adapters; adapters never import each other;
 *  only the composition roots (src/main.ts, src/cli/, src/demo/) construct adapters, all through the
 *  config-to-adapter wiring in src/compose/. The simulators (src/sim/) are test peers, the logger
 *  (src/log/) an adapter of the Logger port; each has a rule of its own. The web console (src/console/) is
 *  an adapter like src/http/: it reads and changes through ports and use cases, wired by src/compose/console-wiring.ts. */
const adapters = ['telephony/asterisk', 'telephony/freeswitch', 'speech', 'sms', 'store', 'llm', 'notify', 'http', 'console'];
const adapterRe = (a) => `^src/${a}/`;
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain holds the call flow, consent rules, policies and ports: no app, adapter, config or CLI imports',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(app|telephony|speech|sms|store|llm|notify|http|console|config|cli|demo|sim|compose)/|^src/main\\.ts$' },
    },
    {
      name: 'domain-no-io',
      comment: 'domain does no I/O',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(node:)?(fs|net|http|https|child_process|dgram|worker_threads)(/|$)', dependencyTypes: ['core'] },
    },
    {
      name: 'app-uses-ports-only',
      comment: 'use cases depend on domain ports, never on adapters',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(telephony|speech|sms|store|llm|notify|http|console|config|cli|demo|sim|compose)/|^src/main\\.ts$' },
    },
    ...adapters.map((a) => ({
      name: `adapter-isolated:${a}`,
      comment: 'adapters never import each other, the CLI or the composition root',
      severity: 'error',
      from: { path: adapterRe(a) },
      to: {
        path: `^src/(${adapters.filter((b) => b !== a).join('|')}|cli|demo|config|compose)/|^src/main\\.ts$`,
      },
    })),
    {
      name: 'roots-not-through-cli',
      comment: 'the service, the demo and the use cases never import the CLI: shared wiring lives in src/compose/',
      severity: 'error',
      from: { path: '^src/(main\\.ts$|demo/|app/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'compose-is-wiring',
      comment: 'src/compose/ turns config into adapters for the roots; it never reaches back into a root or a simulator',
      severity: 'error',
      from: { path: '^src/compose/' },
      to: { path: '^src/(cli|demo|sim)/|^src/main\\.ts$' },
    },
    {
      name: 'only-roots-compose',
      comment: 'only the composition roots (src/main.ts, src/cli/, src/demo/) use src/compose/',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts$|cli/|demo/|compose/)' },
      to: { path: '^src/compose/' },
    },
    {
      name: 'sim-is-a-peer',
      comment:
        'the simulators stand in for Asterisk, FreeSWITCH and the SMSC: they import only domain and their own files ' +
        '(and node builtins and npm packages). One narrow exception: the WAV codec (src/speech/wav-codec.ts, pure, ' +
        'imports only domain/errors), so that the simulators and the recognizer share one codec (issue 14 item 7).',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: '^src/', pathNot: '^src/(domain|sim)/|^src/speech/wav-codec\\.ts$' },
    },
    {
      name: 'log-is-an-adapter',
      comment: 'the pino logger implements the Logger port: it imports only domain and its own files',
      severity: 'error',
      from: { path: '^src/log/' },
      to: { path: '^src/', pathNot: '^src/(domain|log)/' },
    },
    {
      name: 'compliance-renders-only',
      comment:
        'src/compliance/ renders the program description (src/domain/compliance/) as the opt-in page and the ' +
        'registration kit: it imports only domain and its own files, so the CLI and the web console can both mount it',
      severity: 'error',
      from: { path: '^src/compliance/' },
      to: { path: '^src/', pathNot: '^src/(domain|compliance)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
