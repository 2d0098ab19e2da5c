/** Unit specs sit beside the code; end-to-end specs in test/ run against real PostgreSQL, Redis and S3. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];

/**
 * ESM-only packages the app loads (tus, file-type and what they import; thumbhash). Node 20.19 can require()
 * them in the built app, but Jest on Node 20 cannot, so Jest turns them into CommonJS. None of them uses
 * `import.meta` in the files we load (srvx only in its CLI), which this plain transform could not convert.
 */
const ESM_PACKAGES = ['@tus', 'srvx', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', '@borewit', 'thumbhash'];
const esmToCommonJs = {
  transform: {
    '^.+\\.ts$': tsJest,
    '^.+\\.m?js$': ['babel-jest', { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-export-namespace-from', '@babel/plugin-transform-modules-commonjs'] }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  // file-type's "node" export names only ESM conditions (import, module-sync), which Jest's require() skips.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
};

module.exports = {
  // Per-project timeouts are ignored by Jest; e2e specs start real services and need the room.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      ...esmToCommonJs,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...esmToCommonJs,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
