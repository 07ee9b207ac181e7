// The layering rule between the workspace packages (issue 13), checked by `npm run lint`:
//   core ← dynamodb ← aws-lambda ← local, and cdk on aws-lambda and dynamodb (core for types only).
// A package reaches another only by its name or a subpath its exports map declares; the app,
// tests, scripts and bench do the same. test/lint/layering.int.spec.ts breaks each rule on purpose.

const pkg = (name) => `^lib/${name}/`;
const npmTypes = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'];
// Where an import resolves into the workspace through node_modules/@coffee-es, the resolved path
// is the package's real folder under lib/ (symlinks are followed).
const otherThan = (...names) => `^lib/(?!(${names.join('|')})/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'The core imports no package and no Node or AWS module: it runs anywhere.',
      severity: 'error',
      from: { path: pkg('core') },
      to: { dependencyTypes: [...npmTypes, 'core'] },
    },
    {
      name: 'core-imports-no-package',
      comment: 'The core is the bottom layer.',
      severity: 'error',
      from: { path: pkg('core') },
      to: { path: otherThan('core') },
    },
    {
      name: 'dynamodb-imports-only-core',
      severity: 'error',
      from: { path: pkg('dynamodb') },
      to: { path: otherThan('core', 'dynamodb') },
    },
    {
      name: 'aws-lambda-imports-core-and-dynamodb',
      severity: 'error',
      from: { path: pkg('aws-lambda') },
      to: { path: otherThan('core', 'dynamodb', 'aws-lambda') },
    },
    {
      name: 'local-imports-core-dynamodb-aws-lambda',
      severity: 'error',
      from: { path: pkg('local') },
      to: { path: otherThan('core', 'dynamodb', 'aws-lambda', 'local') },
    },
    {
      name: 'cdk-imports-aws-lambda-and-dynamodb',
      severity: 'error',
      from: { path: pkg('cdk') },
      to: { path: otherThan('core', 'dynamodb', 'aws-lambda', 'cdk') },
    },
    {
      name: 'cdk-uses-core-for-types-only',
      comment: 'The stack is built from the declaration; core code has no business in it.',
      severity: 'error',
      from: { path: pkg('cdk') },
      to: { path: pkg('core'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'packages-import-no-app',
      comment: 'The framework knows nothing of the reference app, its tests, scripts or bench.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(functions|cdk|test|scripts|bench)/' },
    },
    {
      name: 'another-package-by-name-only',
      comment:
        'A relative path into another package bypasses its exports map: import it by name ' +
        '(`@coffee-es/core`) or a declared subpath (`@coffee-es/aws-lambda/schema`).',
      severity: 'error',
      from: { path: '^lib/([^/]+)/' },
      to: {
        path: '^lib/',
        pathNot: '^lib/$1/',
        dependencyTypes: ['local'],
        dependencyTypesNot: ['aliased-workspace'],
      },
    },
    {
      name: 'app-imports-packages-by-name',
      comment: 'The app, tests, scripts and bench import the packages by name, never by path.',
      severity: 'error',
      from: { pathNot: '^lib/' },
      to: { path: '^lib/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased-workspace'] },
    },
    {
      name: 'no-unresolvable',
      comment:
        'An import that does not resolve: a deep path into a package that its exports map ' +
        'does not declare, or a file that is gone.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Packages outside the workspace are leaves: their own imports are not this repository's.
    doNotFollow: { path: 'node_modules', dependencyTypes: [...npmTypes, 'core'] },
    exclude: { path: '^lib/[^/]+/dist/|^cdk\\.out/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // The same conditions as tsconfig's customConditions and the .npmrc node-options.
      conditionNames: ['@coffee-es/source', 'import', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
