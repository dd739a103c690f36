/** Dependency direction (README.md "Layout"): domain <- app <- adapters; adapters never import each other;
 *  only the composition roots (src/main.ts with src/compose/, src/cli/, src/demo/) construct adapters. */
const adapters = ['telephony/asterisk', 'telephony/freeswitch', 'speech', 'sms', 'store', 'llm', 'notify', 'http'];
const adapterRe = (a) => `^src/${a}/`;
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain holds the call flow, consent rules, policies and ports: no app, adapter, config or CLI imports',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(app|telephony|speech|sms|store|llm|notify|http|config|cli|demo|sim|compose)/|^src/main\\.ts$' },
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
      to: { path: '^src/(telephony|speech|sms|store|llm|notify|http|config|cli|demo|sim|compose)/|^src/main\\.ts$' },
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
