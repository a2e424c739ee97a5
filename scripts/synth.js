#!/usr/bin/env node
// `npm run synth [-- <example>]`: synthesizes every example under examples/ (or the one named) with `cdktf synth` (cdktf.json points
// it at dist/examples/app.js) and prints where each stack's Terraform JSON landed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
// `npm run synth -- docker-host` (or OPENCLAW_EXAMPLE=docker-host) synthesizes one example
const picked = process.argv.slice(2).join(',') || process.env.OPENCLAW_EXAMPLE || '';
fs.rmSync(path.join(root, 'cdktf.out'), { recursive: true, force: true });
const result = spawnSync(cdktf, ['synth', '--output', 'cdktf.out'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    OPENCLAW_EXAMPLE: picked,
    CHECKPOINT_DISABLE: '1',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);

const stacksDir = path.join(root, 'cdktf.out', 'stacks');
const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
if (stacks.length === 0) {
  console.error('cdktf synth produced no stacks under ./cdktf.out/stacks');
  process.exit(1);
}
console.log('\nSynthesized stacks:');
for (const stack of stacks) {
  console.log(`  ${stack}: ./cdktf.out/stacks/${stack}/cdk.tf.json`);
}
