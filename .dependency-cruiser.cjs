// The import rules of ARCHITECTURE.md ("Rules"), checked by dependency-cruiser in `npm test`
// (`npm run lint:deps`). A new back-edge fails the build; the edges that only the planned study layer
// (issue 13) can remove are listed in .dependency-cruiser-known-violations.json and ignored with
// --ignore-known. When a known violation disappears, regenerate that list (`npm run lint:deps:baseline`)
// and commit it with the change that removed it; never regenerate it to admit a new back-edge.
// test/import-rules.test.ts proves the rules fire (a fixture with a deliberate back-edge).

/** Folders of the project, as path regexes anchored at the repository root. */
const dir = (name) => `^${name}/`;
const STUDY = dir('study'); // the study layer (issue 13, item 1)
/** The source folders that are checked: everything the build compiles (tests and scripts are not), with the package entry index.ts. */
const SOURCES = ['cli', 'core', 'harness', 'workloads', 'cost-models', 'reports', 'claims', 'sweeps', 'bench', 'study'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not depend on each other in a cycle (runtime or type imports).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-depends-on-core-only',
      severity: 'error',
      comment: 'core/ holds ledger and layer types, errors, rng, paths, atomic writes: it imports nothing of the project but core/ (npm packages and node: modules are fine).',
      from: { path: dir('core') },
      to: { path: '^(cli|harness|workloads|cost-models|reports|claims|sweeps|bench|study)/' },
    },
    {
      name: 'harness-not-to-cost-models-or-reports',
      severity: 'error',
      comment: 'Backends never see joules and do not render: harness/ imports nothing from cost-models/ or reports/ (types included).',
      from: { path: dir('harness') },
      to: { path: '^(cost-models|reports)/' },
    },
    {
      name: 'harness-not-upstream',
      severity: 'error',
      comment: 'Data flows one way: workloads/ and the drivers use harness/, never the reverse (harness/ depends on core/ only).',
      from: { path: dir('harness') },
      to: { path: `^(workloads|claims|sweeps|bench)/|${STUDY}` },
    },
    {
      name: 'workloads-not-to-cost-models',
      severity: 'error',
      comment: 'Workloads do not price: workloads/ imports nothing from cost-models/ (types included).',
      from: { path: dir('workloads') },
      to: { path: dir('cost-models') },
    },
    {
      name: 'workloads-not-downstream',
      severity: 'error',
      comment: 'Workloads are plugins the drivers execute: workloads/ imports nothing from reports/, claims/, sweeps/, bench/ or study/.',
      from: { path: dir('workloads') },
      to: { path: `^(reports|claims|sweeps|bench)/|${STUDY}` },
    },
    {
      name: 'cost-models-not-to-harness',
      severity: 'error',
      comment: 'Pricing depends on the ledger types in core/ only: cost-models/ imports nothing from harness/ (types included), nor from workloads/, reports/, claims/, sweeps/ or bench/.',
      from: { path: dir('cost-models') },
      to: { path: '^(harness|workloads|reports|claims|sweeps|bench|study)/' },
    },
    {
      name: 'study-not-to-drivers',
      severity: 'error',
      comment: 'The study layer prices ledgers, runs the analyses and assembles the results document for the drivers: it imports workloads/, harness/, cost-models/, core/ and the document types and schema of reports/, nothing from claims/, sweeps/ or bench/.',
      from: { path: STUDY },
      to: { path: '^(claims|sweeps|bench)/' },
    },
    {
      name: 'reports-render-only',
      severity: 'error',
      comment: 'reports/ renders a results document: no runtime import of cost-models/, study/ or claims/ (type-only imports are fine).',
      from: { path: dir('reports') },
      to: { path: `^(cost-models|claims)/|${STUDY}`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-to-cli',
      severity: 'error',
      comment: 'cli/ is the outermost driver: nothing outside cli/ imports it but the package entry index.ts (the library API, which reuses its run and check).',
      from: { pathNot: `${dir('cli')}|^index\\.ts$` },
      to: { path: dir('cli') },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file (a typo, or a file moved without its importers).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only the project's own sources (cruise '.': a new source folder is listed in SOURCES once);
    // npm packages and node: modules are leaves, not followed.
    includeOnly: { path: `^((${SOURCES.join('|')})/|index\\.ts$)` },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|results|test-artifacts|node_modules)/' },
    // `import type` counts (cost-models must not even name harness types); it is labelled
    // 'type-only', which reports-render-only allows.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // NodeNext imports name the emitted '.js'; dependency-cruiser maps them to the '.ts' source.
    // Packages resolve through their "exports" maps (csv-parse/sync, vega-lite).
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
