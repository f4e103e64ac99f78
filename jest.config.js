// Tests are written in TypeScript and compiled by `npm run build` (pretest) into dist/;
// jest runs the compiled ESM directly (no transform), under --experimental-vm-modules.
export default {
  testEnvironment: 'node',
  transform: {},
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/test/e2e/'],
  moduleFileExtensions: ['js', 'json'],
};
