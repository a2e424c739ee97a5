#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): a clean dist/ built from src/ and broker/src/ only, with
// no source maps, so the tarball never carries stale files or .js files pointing at absent maps.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
