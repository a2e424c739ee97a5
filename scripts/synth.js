#!/usr/bin/env node
// `npm run synth`: synthesizes every example under examples/ with `cdktf synth` (cdktf.json points
// it at dist/examples/app.js) and prints where each stack's Terraform JSON landed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
const result = spawnSync(cdktf, ['synth', '--output', 'cdktf.out'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' },
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
