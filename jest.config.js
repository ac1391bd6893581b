/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    // Microsoft's Adaptive Cards SDK: its lib/ is extensionless ESM; the bundled dist file loads in Node.
    '^adaptivecards$': '<rootDir>/node_modules/adaptivecards/dist/adaptivecards.js',
    // @microsoft/app-manifest needs strip-bom, whose current major is ESM-only.
    '^strip-bom$': '<rootDir>/test/support/stripBom.js',
  },
  testTimeout: 60000,
  // PGlite instances are large (WebAssembly memory): two workers on two cores.
  maxWorkers: 2,
  verbose: false,
};
