#!/usr/bin/env node
// Benchmark (not a test): the checklist's share of synth time for a large stack.
// Builds stacks of N hardened cells (network + gateway container + config), synthesizes each
// with and without OpenClawChecklist, and prints wall times (median of runs) and the share.
// Target: the checklist adds under 20% to synth. Run `npm run build` first (npm run bench:checklist does).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, TerraformStack } = require('cdktf');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const lib = require('../dist/src');

function build(cells, withChecklist) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checklist-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'fleet');
  new DockerProvider(stack, 'docker', {});
  for (let i = 0; i < cells; i++) {
    const third = Math.floor(i / 250);
    const fourth = i % 250;
    const network = new lib.CellNetwork(stack, `net-${i}`, {
      name: `openclaw-agent-${i}`,
      subnet: `10.${third}.${fourth}.0/24`,
    });
    new lib.HardenedContainer(stack, `gateway-${i}`, {
      name: `openclaw-agent-${i}-gateway`,
      network,
      ipv4Address: `10.${third}.${fourth}.10`,
      processLimitSlice: `openclaw-agent-${i}.slice`,
      gateway: {
        trustedProxies: [`10.${third}.${fourth}.2/32`],
        controlUiOrigins: [`https://agent-${i}.tail1234.ts.net`],
        modelProviders: [
          {
            id: 'anthropic',
            api: 'anthropic-messages',
            baseUrl: `http://10.${third}.${fourth}.3:8080/anthropic`,
          },
        ],
      },
    });
  }
  let audit;
  if (withChecklist)
    lib.OpenClawChecklist.check(app, { reports: true, onAudit: (a) => (audit = a) });
  return { app, outdir, audit: () => audit };
}

/** Time of the checklist alone on the synthesized JSON of a stack of `cells`. */
function auditAlone(cells) {
  const { app, outdir } = build(cells, false);
  app.synth();
  const json = JSON.parse(
    fs.readFileSync(path.join(outdir, 'stacks', 'fleet', 'cdk.tf.json'), 'utf8'),
  );
  const start = process.hrtime.bigint();
  const audit = lib.auditStack(lib.readStack(json, 'fleet'));
  lib.renderMarkdown(audit);
  lib.renderJson([audit]);
  lib.renderSarif([audit], () => 'cdk.tf.json');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (lib.errorsOf(audit).length > 0)
    throw new Error('the benchmark fleet should have no error finding');
  return ms;
}

function time(cells, withChecklist) {
  const start = process.hrtime.bigint();
  const { app, outdir } = build(cells, withChecklist);
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const sizes = (process.argv[2] ?? '10,50,100').split(',').map(Number);
const runs = Number(process.argv[3] ?? 5);
time(5, true); // warm up module loading and JIT
console.log(
  'cells  resources  synth without (ms)  synth with (ms)  checklist alone (ms)  share of synth',
);
for (const cells of sizes) {
  const without = [];
  const withIt = [];
  const alone = [];
  for (let r = 0; r < runs; r++) {
    without.push(time(cells, false));
    withIt.push(time(cells, true));
    alone.push(auditAlone(cells));
  }
  const a = median(without);
  const b = median(withIt);
  const c = median(alone);
  // share: the checklist's own work (rules and reports) against a synth that includes it
  const share = (c / b) * 100;
  console.log(
    `${String(cells).padStart(5)}  ${String(cells * 4).padStart(9)}  ${a.toFixed(0).padStart(18)}  ${b.toFixed(0).padStart(15)}  ${c.toFixed(0).padStart(20)}  ${share.toFixed(1).padStart(13)}%`,
  );
}
