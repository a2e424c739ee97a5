/** Two projects: fast unit tests, and conformance against the real OpenClaw CLI. */
// isolatedModules is on in tsconfig.test.json, so ts-jest transpiles each file alone (fast).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
// every run's temp folders in one, removed at its end (test/temp-root.js)
const temp = {
  globalSetup: '<rootDir>/test/temp-setup.js',
  globalTeardown: '<rootDir>/test/temp-teardown.js',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      ...temp,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/test/conformance/', '/test/engine/'],
      transform: { '^.+\\.ts$': tsJest },
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
    {
      displayName: 'conformance',
      ...temp,
      testEnvironment: 'node',
      roots: ['<rootDir>/test/conformance'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      // the cells on a real Docker engine (scripts/engine/dockerd.sh starts one; images.js builds
      // the test images)
      displayName: 'engine',
      ...temp,
      testEnvironment: 'node',
      roots: ['<rootDir>/test/engine'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
