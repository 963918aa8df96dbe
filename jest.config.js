/** Tests run the TypeScript sources through swc; the bundle is exercised by the end-to-end tests. */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  testTimeout: 30000,
  setupFilesAfterEnv: ["<rootDir>/test/support/restore-http.cjs"],
  reporters: ["default", "<rootDir>/test/support/summary-reporter.cjs"],
};
