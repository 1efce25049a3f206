/**
 * The house's one-way imports, checked by dependency-cruiser in the test suite
 * (test/architecture.test.ts; by hand: `npx depcruise src`).
 *
 * FLOORS lists src/'s folders from the ground up, as README's "How it is built" does. A folder may
 * import only from folders on lower floors; folders on one floor do not import each other. Every
 * forbidden import fails with the rule's name, e.g. "floor-network: network/ imports only from
 * kernels, data, equations, units, optim, state". Type-only imports count: a type is a dependency.
 */
const FLOORS = [
  ['kernels'],
  ['data', 'equations', 'units', 'optim', 'state'],
  ['network'],
  ['rules'],
  ['engine'],
  ['metrics', 'record'],
  ['experiment'],
  ['report'],
  ['session'],
  ['export'],
  ['jobs'],
  ['live'],
  ['cli', 'web'],
  ['index.ts'],
];

const folder = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);

const floorRules = FLOORS.flatMap((floor, level) => {
  const below = FLOORS.slice(0, level).flat();
  return floor.map((name) => ({
    name: `floor-${name.replace('.ts', '')}`,
    comment: `${name} imports only from ${below.length ? below.join(', ') : 'no other folder of src/'}`,
    severity: 'error',
    from: { path: folder(name) },
    to: {
      path: '^src/',
      pathNot: [folder(name), ...below.map(folder)],
    },
  }));
});

module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'no-circular',
      comment: 'files that import each other in a loop',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
