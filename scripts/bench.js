#!/usr/bin/env node
// `npm run bench` (a benchmark, not a test): synthesizes fleets of 1, 10, 50 and 100 agents and
// prints, per size, the wall time and peak memory of the synth, the ratio to a baseline that
// writes the same resources with the raw provider classes, and the checklist's share of the time.
//
// Each measurement runs in a fresh Node process (so peak RSS is that run's own), five times; the
// table shows medians. Timing starts after the modules are loaded and ends when every stack's
// cdk.tf.json is written.
//
// - library: AgentFleet (N agents over three presets on one Docker host, Docker+Tailscale stack)
//   plus an AWS identity stack with each agent's key, secrets, broker role and the AuditTrail,
//   with OpenClawChecklist on both stacks (reports written).
// - no checklist: the same without OpenClawChecklist; the checklist's share is the difference.
// - baseline: the resources the library wrote, re-created one by one with the provider's own
//   classes (`new Container(...)`, `new IamRole(...)`, the generated Tailscale classes) from their
//   synthesized attributes, plus the same locals and outputs. It prints how many resources it
//   reproduced exactly. References stay the literal `${...}` strings the library wrote, so the
//   baseline skips the token resolution and cross-stack wiring that hand-written code with real
//   references would pay for: it is a lower bound, and the ratio an upper bound. Its peak memory
//   includes the parsed JSON it copies from. The ratio compares the library with its checklist on.
//
// Targets: 100 agents under 5 s on the 2-core build machine, at most 1.3x the baseline, and time
// growing linearly with the number of agents. Run `npm run build` first (npm run bench does).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SIZES = (process.env.BENCH_SIZES ?? '1,10,50,100').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 5000;
const TARGET_RATIO = 1.3;

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4]), process.argv[5]);
} else {
  parent();
}

// ---------------------------------------------------------------- the measuring child

function child(mode, agents, workdir) {
  const { App, TerraformStack, TerraformLocal, TerraformOutput } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
  const { TailscaleProvider } = require('../dist/src/generated/tailscale/provider');
  const lib = require('../dist/src');
  const outdir = path.join(workdir, mode);
  fs.rmSync(outdir, { recursive: true, force: true });

  let classes;
  let source;
  if (mode === 'baseline') {
    // read what the library wrote, and load the classes, before the clock starts
    source = readOut(path.join(workdir, 'library'));
    classes = new Map();
    for (const stack of Object.values(source)) {
      for (const type of Object.keys(stack.resource ?? {})) {
        if (!classes.has(type)) classes.set(type, providerClass(type));
      }
    }
  }

  const start = process.hrtime.bigint();
  const app = new App({ outdir });
  if (mode === 'baseline') {
    for (const [name, json] of Object.entries(source)) {
      const stack = new TerraformStack(app, name);
      const providers = json.provider ?? {};
      for (const [type, configs] of Object.entries(providers)) {
        for (const config of configs) {
          const Provider =
            type === 'aws' ? AwsProvider : type === 'docker' ? DockerProvider : TailscaleProvider;
          new Provider(stack, `${type}-${config.alias ?? 'default'}`, camel(config));
        }
      }
      for (const [type, byName] of Object.entries(json.resource ?? {})) {
        const Resource = classes.get(type);
        for (const [rname, attrs] of Object.entries(byName)) {
          const { depends_on: dependsOn, provider, ...rest } = attrs;
          delete rest['//'];
          const config = camel(rest);
          // names the generated classes rename because they clash with a construct member
          if (type === 'docker_image' && config.build) {
            config.buildAttribute = config.build;
            delete config.build;
          }
          const r = new Resource(stack, `${type}-${rname}`, config);
          r.overrideLogicalId(rname);
          if (dependsOn) r.addOverride('depends_on', dependsOn);
          if (provider) r.addOverride('provider', provider);
        }
      }
      for (const [lname, value] of Object.entries(json.locals ?? {}))
        new TerraformLocal(stack, lname, value).overrideLogicalId(lname);
      for (const [oname, out] of Object.entries(json.output ?? {}))
        new TerraformOutput(stack, oname, { value: out.value }).overrideLogicalId(oname);
      for (const [dtype, byName] of Object.entries(json.data ?? {}))
        for (const [dname, attrs] of Object.entries(byName))
          stack.addOverride(`data.${dtype}.${dname}`, attrs);
    }
  } else {
    buildLibraryApp(app, agents, {
      TerraformStack,
      AwsProvider,
      DockerProvider,
      TailscaleProvider,
      lib,
    });
    if (mode === 'library') lib.OpenClawChecklist.check(app);
  }
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;

  const out = readOut(outdir);
  const resources = Object.values(out).reduce(
    (n, s) =>
      n + Object.values(s.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0),
    0,
  );
  const result = { ms, rssMiB: process.resourceUsage().maxRSS / 1024, resources };
  if (mode === 'baseline') result.fidelity = fidelity(source, out);
  process.stdout.write(JSON.stringify(result));
}

function buildLibraryApp(
  app,
  agents,
  { TerraformStack, AwsProvider, DockerProvider, TailscaleProvider, lib },
) {
  const identity = new TerraformStack(app, 'identity');
  new AwsProvider(identity, 'aws', { region: 'eu-west-1' });
  const stack = new TerraformStack(app, 'agents');
  const docker = new DockerProvider(stack, 'docker', { host: 'ssh://openclaw@host-1' });
  new TailscaleProvider(stack, 'tailscale', {});
  const noRotation = {
    dangerouslyNoRotation: { reason: 'vendor API keys cannot be rotated by a function' },
  };
  // a credential object of its own per agent (the fleet refuses one shared between agents)
  const anthropic = () => ({
    name: 'anthropic',
    kind: 'model',
    models: [{ id: 'claude-sonnet-4-5' }],
    ...noRotation,
  });
  const presets = [
    () => ({ profile: lib.RiskProfile.messaging(), credentials: [anthropic()] }),
    () => ({
      profile: lib.RiskProfile.calendarAndMail(),
      credentials: [
        anthropic(),
        {
          name: 'gmail',
          kind: 'mail',
          scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
          upstream: { baseUrl: 'https://gmail.googleapis.com', auth: 'bearer' },
          ...noRotation,
        },
      ],
    }),
    () => ({
      profile: lib.RiskProfile.research(['docs.python.org:443']),
      credentials: [anthropic()],
    }),
  ];
  const fleetAgents = [];
  for (let i = 0; i < agents; i++) {
    fleetAgents.push({
      ...presets[i % presets.length](),
      name: `agent-${i}`,
      cellIndex: i,
      allow: ['group:staff'],
      gatewayToken: noRotation,
      primaryModel: 'anthropic/claude-sonnet-4-5',
    });
  }
  const fleet = new lib.AgentFleet(stack, 'fleet', {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    identityScope: identity,
    hosts: [{ name: 'host-1', roleArn: 'arn:aws:iam::123456789012:role/host-1-host', docker }],
    agents: fleetAgents,
    auditLogs: true,
  });
  new lib.AuditTrail(identity, 'audit', {
    accountId: '123456789012',
    region: 'eu-west-1',
    agents: Object.keys(fleet.agents),
    activeHours: { fromHourUtc: 6, toHourUtc: 20 },
  });
}

/** The provider class for a Terraform type, found by its `tfResourceType`. */
function providerClass(type) {
  const [prefix, ...rest] = type.split('_');
  const file = rest.join('-');
  const modulePath =
    prefix === 'tailscale'
      ? path.join(__dirname, '..', 'dist', 'src', 'generated', 'tailscale', file)
      : `@cdktf/provider-${prefix}/lib/${file}`;
  const mod = require(modulePath);
  const found = Object.values(mod).find(
    (v) => typeof v === 'function' && v.tfResourceType === type,
  );
  if (!found) throw new Error(`no provider class for ${type} in ${modulePath}`);
  return found;
}

/** Terraform attribute names to the classes' config names (keys that are not names stay). */
function camel(value) {
  if (Array.isArray(value)) return value.map(camel);
  if (typeof value !== 'object' || value === null) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const key = /^[a-z][a-z0-9_]*$/.test(k)
      ? k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
      : k;
    out[key === 'equals' ? 'equalTo' : key] = camel(v);
  }
  return out;
}

/** How many of the library's resources the baseline wrote with the same attributes. */
function fidelity(source, out) {
  let same = 0;
  let total = 0;
  for (const [name, json] of Object.entries(source)) {
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [rname, attrs] of Object.entries(byName)) {
        total++;
        const mine = out[name]?.resource?.[type]?.[rname];
        if (mine && same_(strip(attrs), strip(mine))) same++;
      }
    }
  }
  return { same, total };
}

function strip(attrs) {
  const rest = { ...attrs };
  delete rest['//'];
  return rest;
}

function same_(a, b) {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

function readOut(outdir) {
  const stacks = {};
  const dir = path.join(outdir, 'stacks');
  for (const name of fs.readdirSync(dir)) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8'));
  }
  return stacks;
}

// ---------------------------------------------------------------- the parent: runs and the table

function run(mode, agents, workdir) {
  const out = execFileSync(
    process.execPath,
    [__filename, '--child', mode, String(agents), workdir],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    },
  );
  return JSON.parse(out);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function parent() {
  console.log(
    `Synth benchmark: node ${process.version}, ${os.cpus().length} CPU(s), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; median of ${RUNS} runs, each in a fresh process\n`,
  );
  const header =
    'agents  resources  synth (ms)  peak RSS (MiB)  baseline (ms)  baseline RSS (MiB)  ratio  no checklist (ms)  checklist share  total ms/agent';
  console.log(header);
  const rows = [];
  for (const agents of SIZES) {
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${agents}-`));
    const measure = (mode) => {
      const results = [];
      for (let r = 0; r < RUNS; r++) results.push(run(mode, agents, workdir));
      return {
        ms: median(results.map((x) => x.ms)),
        rssMiB: median(results.map((x) => x.rssMiB)),
        resources: results[0].resources,
        fidelity: results[0].fidelity,
      };
    };
    const library = measure('library');
    const baseline = measure('baseline');
    const bare = measure('no-checklist');
    fs.rmSync(workdir, { recursive: true, force: true });
    const row = {
      agents,
      resources: library.resources,
      ms: library.ms,
      rss: library.rssMiB,
      baseMs: baseline.ms,
      baseRss: baseline.rssMiB,
      ratio: library.ms / baseline.ms,
      bareMs: bare.ms,
      share: Math.max(0, (library.ms - bare.ms) / library.ms),
      fidelity: baseline.fidelity,
    };
    rows.push(row);
    console.log(
      [
        String(agents).padStart(6),
        String(row.resources).padStart(9),
        row.ms.toFixed(0).padStart(10),
        row.rss.toFixed(0).padStart(14),
        row.baseMs.toFixed(0).padStart(13),
        row.baseRss.toFixed(0).padStart(18),
        `${row.ratio.toFixed(2)}x`.padStart(5),
        row.bareMs.toFixed(0).padStart(17),
        `${(row.share * 100).toFixed(1)}%`.padStart(15),
        (row.ms / agents).toFixed(1).padStart(14),
      ].join('  '),
    );
  }

  console.log('');
  for (const row of rows) {
    const exact = row.fidelity.same === row.fidelity.total;
    console.log(
      `baseline fidelity at ${row.agents} agent(s): ${row.fidelity.same} of ${row.fidelity.total} resources written with identical attributes${exact ? '' : ' (NOT the same resources: the ratio at this size is not comparable)'}`,
    );
  }
  console.log(
    'the baseline keeps references as literal ${...} strings (no token resolution, no cross-stack wiring): a lower bound',
  );
  const largest = rows[rows.length - 1];
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  console.log('');
  console.log(
    `target: ${largest.agents} agents under ${TARGET_MS} ms: ${largest.ms.toFixed(0)} ms, ${verdict(largest.ms < TARGET_MS)}`,
  );
  console.log(
    `target: at most ${TARGET_RATIO}x the raw baseline: ${largest.ratio.toFixed(2)}x at ${largest.agents} agents, ${verdict(largest.ratio <= TARGET_RATIO)}`,
  );
  // linear: the cost of each added agent stays flat (marginal ms/agent between the sizes)
  const marginal = [];
  for (let i = 1; i < rows.length; i++) {
    marginal.push((rows[i].ms - rows[i - 1].ms) / (rows[i].agents - rows[i - 1].agents));
  }
  const spread = marginal.length > 1 ? Math.max(...marginal) / Math.min(...marginal) : 1;
  console.log(
    `target: linear growth: marginal ms per added agent ${marginal.map((m) => m.toFixed(1)).join(', ')} (max/min ${spread.toFixed(2)}), ${verdict(spread <= 1.5)}`,
  );
}
