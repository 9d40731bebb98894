import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  projects: [
    { name: 'unit', testMatch: 'tests/unit/**/*.spec.ts' },
  ],
});
