/** Jest runs the TypeScript sources through ts-jest; `isolatedModules` skips per-file type checking
 * because `npm run build` (tsc) already type-checks the whole project before the tests run. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testTimeout: 120000,
};
