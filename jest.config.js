// Node.js 24.9 and later require ESM-only packages as they are; compiling uuid for them breaks it instead (under
// --experimental-vm-modules jest runs the compiled CommonJS as the ES module its package.json says it is).
const [major, minor] = process.versions.node.split('.').map(Number);
const requiresEsm = major > 24 || (major === 24 && minor >= 9);

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
  // uuid 14 (an override: README "Known advisories") is ESM only. Node.js 24.9+ lets jest require it as it is; on
  // Node.js 22 (the oldest supported) jest needs it compiled to CommonJS, which ts-jest does for these files.
  transform: {
    '^.+\\.ts$': 'ts-jest',
    ...(requiresEsm
      ? {}
      : {
          '/node_modules/uuid/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true }, isolatedModules: true }],
        }),
  },
  ...(requiresEsm ? {} : { transformIgnorePatterns: ['/node_modules/(?!uuid/)'] }),
  testTimeout: 60000,
  // PGlite instances are large (WebAssembly memory): two workers on two cores.
  maxWorkers: 2,
  verbose: false,
};
