// Runs before each test file (vitest setupFiles): the file gets a cache folder of its own holding a
// copy of the pretrained default model, so what it trains or caches stays its own and nothing is
// written to the user's cache; CLI commands get one per test (cli-helpers.ts testCache()).
import { afterAll, afterEach, beforeEach } from 'vitest';
import { beginTest, endFile, endTest, useFileCache } from './cli-helpers.js';

useFileCache();
delete process.env.GITHUB_STEP_SUMMARY; // `check --markdown` appends to it: never to a real CI job's summary

beforeEach(beginTest);
afterEach(endTest);
afterAll(endFile);
