// Shared jest preset: ts-jest on source, workspace packages resolved to their src/ (no build needed for tests).
const path = require('path');
module.exports = (dir) => ({
  displayName: path.basename(dir),
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(dir, 'tsconfig.json') }] },
  moduleNameMapper: {
    '^@installgate/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src'),
    // Deep imports of a package's built files (`…/dist/test-servers`) run from its sources too.
    '^@installgate/([a-z0-9-]+)/dist/(.*)$': path.join(__dirname, 'packages/$1/src/$2'),
  },
});
