#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` in a clone (the `prepare` script); the npm
// package ships dist/ (package.json `files`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
