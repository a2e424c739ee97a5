/**
 * The package as a platform team gets it: `npm pack` of this checkout, installed into a fresh app
 * laid out as `cdktf init --template=typescript` lays it out (the template files come from the
 * cdktf-cli we pin, so its tsconfig, with classic `node` module resolution, is the real one). The
 * app compiles the README's Usage sample, synthesizes it, and runs a snapshot test; the app then
 * moves to another folder and the snapshot test passes there unchanged. The peer dependencies
 * are installed at the highest versions their ranges match, then at the lowest, and the app must
 * compile, synthesize and match the same snapshots at both ends.
 *
 * Needs only the npm registry (and uses the local npm cache first: `--prefer-offline`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brokerBuildFiles, brokerSourceHash } from '../../src/broker/broker-source';
import { PUBLIC_RUNTIME_EXPORTS } from '../public-api';

jest.setTimeout(900_000);

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const template = path.join(root, 'node_modules', 'cdktf-cli', 'bundle', 'templates', 'typescript');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-openclaw-package-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout}\n${err.stderr}`);
  }
}
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);

/** Numeric comparison of plain x.y.z versions. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The lowest and highest published versions a range matches (prereleases excluded). */
function rangeEnds(name: string, range: string): { low: string; high: string } {
  const out = JSON.parse(npm(['view', `${name}@${range}`, 'version', '--json'], work)) as
    string | string[];
  const versions = (Array.isArray(out) ? out : [out]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  if (versions.length === 0) throw new Error(`no published ${name} matches ${range}`);
  versions.sort(compareVersions);
  return { low: versions[0], high: versions[versions.length - 1] };
}

/** A file of the app from the cdktf init template, its placeholders filled. */
function fromTemplate(file: string, target = file): [string, string] {
  const text = fs
    .readFileSync(path.join(template, file), 'utf8')
    .replace(/\{\{ \$base \}\}/g, 'platform-agents')
    .replace('{{projectId}}', '00000000-0000-4000-8000-000000000000')
    .replace('{{sendCrashReports}}', 'false')
    .replace('{{futureFlags}}', '');
  return [target, text];
}

/**
 * examples/usage/app.ts as a user writes it: the same code, importing from the package (the
 * README block is its body; test/examples keeps the two equal), and the image pins it imports.
 */
function usageSources(): Record<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(root, 'examples', file), 'utf8');
  const files = {
    'usage.ts': read('usage/app.ts')
      .replace(
        "from '../../src/generated/tailscale/provider'",
        "from 'cdktf-openclaw/tailscale/provider'",
      )
      .replace("from '../../src'", "from 'cdktf-openclaw'")
      .replace("from '../images'", "from './images'"),
    'images.ts': read('images.ts').replace("from '../src'", "from 'cdktf-openclaw'"),
  };
  // every import now names a package or a file of the app
  for (const text of Object.values(files)) expect(text).not.toMatch(/from '\.\.\//);
  return files;
}

/**
 * The app's snapshot tests: both stacks of the usage sample; and a broker built on the host (the
 * default; the sample pulls a pinned one), written under cdktf.out for the outer test to read.
 */
const SNAPSHOT_TEST = `import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { CellNetwork, CredentialBroker } from 'cdktf-openclaw';
import { usageApp } from '../usage';

test('the agents stacks match their snapshots', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-agents-'));
  const app = new App({ outdir });
  usageApp(app);
  app.synth();
  for (const name of ['agents-identity', 'agents']) {
    const file = path.join(outdir, 'stacks', name, 'cdk.tf.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchSnapshot(name);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
});

test('a broker built on the host matches its snapshot', () => {
  const outdir = path.join(__dirname, '..', 'cdktf.out', 'broker-test');
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'broker');
  new DockerProvider(stack, 'docker', {});
  const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
  new CredentialBroker(stack, 'broker', {
    agent: 'research',
    network,
    address: '172.30.0.3',
    region: 'eu-west-1',
    upstreams: [{ provider: 'anthropic', secretArn: 'openclaw/research/anthropic' }],
  });
  app.synth();
  const file = path.join(outdir, 'stacks', 'broker', 'cdk.tf.json');
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).resource.docker_image).toMatchSnapshot();
});
`;

/** Which versions of a package the app has installed. */
const installed = (app: string, name: string): string =>
  JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')).version;

let tarball: string;
let packed: string[];

beforeAll(() => {
  // prepack builds dist/ from a clean slate
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = path.join(work, out[0].filename);
  packed = out[0].files.map((f) => f.path).sort();
});

describe('the tarball', () => {
  test('holds the built library, its typings, LICENSE and the broker build inputs', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'bin/cdktf-openclaw.js',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/cli/audit.js',
        'dist/src/generated/tailscale/provider/index.js',
        'dist/src/generated/tailscale/provider/index.d.ts',
        ...brokerBuildFiles(path.join(root, 'broker')).map((f) => `broker/${f}`),
        // what McpServerContainer copies into every MCP server's build context
        'mcp-bridge/bridge.mjs',
        'mcp-bridge/package.json',
        'mcp-bridge/package-lock.json',
        // what AgentHost puts into user data and GatewayTokenRotation deploys
        'runtime/host/openclaw-reconcile',
        'runtime/rotate-gateway-token/index.js',
      ]),
    );
    expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004/,
    );
  });

  test('holds nothing of tests, examples, scripts, sources outside the broker, or source maps', () => {
    expect(
      packed.filter(
        (f) =>
          /^(test|examples|scripts|oracle|src|docs|\.ci)\//.test(f) ||
          /\.(map|tsbuildinfo)$/.test(f) ||
          /^dist\/(examples|scripts|test)\//.test(f),
      ),
    ).toEqual([]);
    const unpacked = path.join(work, 'unpacked');
    fs.mkdirSync(unpacked);
    run('tar', ['-xzf', tarball, '-C', unpacked], work);
    const referencing = packed
      .filter((f) => f.endsWith('.js'))
      .filter((f) =>
        fs.readFileSync(path.join(unpacked, 'package', f), 'utf8').includes('sourceMappingURL'),
      );
    expect(referencing).toEqual([]);
  });
});

describe('a fresh cdktf app that installs the tarball', () => {
  const app = path.join(work, 'first', 'platform-agents');
  // same depth, so the app's relative file: spec of the tarball still resolves after the move
  const moved = path.join(work, 'elsewhere', 'platform-agents');
  const ends = Object.fromEntries(
    Object.entries(pkg.peerDependencies).map(([name, range]) => [name, { range }]),
  ) as Record<string, { range: string; low?: string; high?: string }>;
  const timings: string[] = [];
  const timed = <T>(what: string, fn: () => T): T => {
    const start = Date.now();
    const result = fn();
    timings.push(`${what}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return result;
  };
  afterAll(() => console.log(`package test timings:\n  ${timings.join('\n  ')}`));

  /** Compile (the template's tsconfig), synthesize with main.ts, run the snapshot test. */
  function compileSynthTest(dir: string, ci: boolean): Record<string, string> {
    timed(`tsc in ${path.relative(work, dir)}`, () =>
      run(path.join(dir, 'node_modules', '.bin', 'tsc'), [], dir),
    );
    timed('node main.js', () => run(process.execPath, ['main.js'], dir));
    const jest = path.join(dir, 'node_modules', '.bin', 'jest');
    timed(`jest ${ci ? '--ci' : '(writes snapshots)'}`, () =>
      run(jest, ci ? ['--ci'] : ['--ci=false'], dir),
    );
    const stacks: Record<string, string> = {};
    for (const name of ['agents-identity', 'agents']) {
      stacks[name] = fs.readFileSync(
        path.join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'),
        'utf8',
      );
    }
    return stacks;
  }

  test('laid out as cdktf init does, with classic node module resolution', () => {
    for (const name of Object.keys(ends))
      Object.assign(ends[name], rangeEnds(name, ends[name].range));
    fs.mkdirSync(path.join(app, '__tests__'), { recursive: true });
    const files = [
      fromTemplate('package.json'),
      fromTemplate('tsconfig.json'),
      fromTemplate('cdktf.json'),
      fromTemplate('jest.config.js'),
      fromTemplate('setup.js'),
      fromTemplate('{{}}.gitignore', '.gitignore'),
    ];
    for (const [file, text] of files) fs.writeFileSync(path.join(app, file), text);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8'));
    // no moduleResolution with module CommonJS: the classic `node` (node10) resolution
    expect(tsconfig.compilerOptions.module).toBe('CommonJS');
    expect(tsconfig.compilerOptions.moduleResolution).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(path.join(app, 'cdktf.json'), 'utf8')).language).toBe(
      'typescript',
    );

    for (const [file, text] of Object.entries(usageSources()))
      fs.writeFileSync(path.join(app, file), text);
    // main.ts: cdktf init's entry point, running the README sample
    fs.writeFileSync(
      path.join(app, 'main.ts'),
      "import { App } from 'cdktf';\nimport { usageApp } from './usage';\n\nconst app = new App();\nusageApp(app);\napp.synth();\n",
    );
    fs.writeFileSync(path.join(app, '__tests__', 'main-test.ts'), SNAPSHOT_TEST);
  });

  test('installs the tarball with the peers at the top of their ranges, compiles, synthesizes and snapshots', () => {
    const dev = ['typescript', 'jest', 'ts-jest', '@types/jest', '@types/node'].map(
      (d) => `${d}@${pkg.devDependencies[d]}`,
    );
    const peers = Object.entries(ends).map(([name, e]) => `${name}@${e.high}`);
    timed('npm install (tarball, peers at the top)', () => {
      npm(['install', '--prefer-offline', '--save-exact', tarball, ...peers], app);
      npm(['install', '--prefer-offline', '--save-exact', '-D', ...dev], app);
    });
    for (const [name, e] of Object.entries(ends))
      expect([name, installed(app, name)]).toEqual([name, e.high]);
    expect(installed(app, 'cdktf-openclaw')).toBe(pkg.version);
    // the built module exports exactly the pinned public API
    const keys = run(
      process.execPath,
      ['-e', "console.log(JSON.stringify(Object.keys(require('cdktf-openclaw')).sort()))"],
      app,
    );
    expect(JSON.parse(keys)).toEqual(PUBLIC_RUNTIME_EXPORTS);

    const stacks = compileSynthTest(app, false);
    const snapshot = path.join(app, '__tests__', '__snapshots__', 'main-test.ts.snap');
    expect(fs.readFileSync(snapshot, 'utf8')).toContain(
      'exports[`the agents stacks match their snapshots: agents 1`]',
    );
    // the README sample as the checklist sees it: no error finding
    for (const name of Object.keys(stacks)) {
      const report = JSON.parse(
        fs.readFileSync(
          path.join(app, 'cdktf.out', 'stacks', name, 'openclaw-checklist.json'),
          'utf8',
        ),
      ) as { stacks: { findings: { severity: string }[] }[] };
      expect([name, report.stacks[0].findings.filter((f) => f.severity === 'error')]).toEqual([
        name,
        [],
      ]);
    }
    // a broker built on the host gets the package's own sources, copied next to its stack
    const brokerStack = path.join(app, 'cdktf.out', 'broker-test', 'stacks', 'broker');
    const brokerImage = JSON.parse(fs.readFileSync(path.join(brokerStack, 'cdk.tf.json'), 'utf8'))
      .resource.docker_image['openclaw-research-broker'];
    const hash = brokerSourceHash(path.join(root, 'broker'));
    expect(brokerImage.build.context).toBe(`assets/openclaw-broker-source/${hash}`);
    expect(brokerBuildFiles(path.join(brokerStack, brokerImage.build.context))).toEqual(
      brokerBuildFiles(path.join(root, 'broker')),
    );
    expect(brokerSourceHash(path.join(brokerStack, brokerImage.build.context))).toBe(hash);
  });

  test('moved to another folder, the same snapshot test passes and synth writes the same JSON', () => {
    const before = {
      snapshot: fs.readFileSync(
        path.join(app, '__tests__', '__snapshots__', 'main-test.ts.snap'),
        'utf8',
      ),
      stacks: Object.fromEntries(
        ['agents-identity', 'agents'].map((n) => [
          n,
          fs.readFileSync(path.join(app, 'cdktf.out', 'stacks', n, 'cdk.tf.json'), 'utf8'),
        ]),
      ),
    };
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(app, moved);
    fs.rmSync(path.join(moved, 'cdktf.out'), { recursive: true, force: true });
    const stacks = compileSynthTest(moved, true);
    expect(stacks).toEqual(before.stacks);
    expect(
      fs.readFileSync(path.join(moved, '__tests__', '__snapshots__', 'main-test.ts.snap'), 'utf8'),
    ).toBe(before.snapshot);
    for (const text of Object.values(stacks)) {
      expect(text).not.toContain(work);
      expect(text).not.toContain(root);
    }
  });

  test('the subpath imports type-check under node16, nodenext and bundler resolution too', () => {
    const tsc = path.join(moved, 'node_modules', '.bin', 'tsc');
    for (const [resolution, module] of [
      ['node16', 'node16'],
      ['nodenext', 'nodenext'],
      ['bundler', 'esnext'],
    ]) {
      run(
        tsc,
        [
          '--noEmit',
          '-p',
          'tsconfig.json',
          '--moduleResolution',
          resolution,
          '--module',
          module,
          '--incremental',
          'false',
        ],
        moved,
      );
    }
  });

  test('with the peers at the bottom of their ranges, it compiles, synthesizes and matches the same snapshots', () => {
    const peers = Object.entries(ends).map(([name, e]) => `${name}@${e.low}`);
    timed('npm install (peers at the bottom)', () =>
      npm(['install', '--prefer-offline', '--save-exact', ...peers], moved),
    );
    for (const [name, e] of Object.entries(ends))
      expect([name, installed(moved, name)]).toEqual([name, e.low]);
    compileSynthTest(moved, true);
    console.log(
      `peer ranges tested:\n  ${Object.entries(ends)
        .map(([n, e]) => `${n} ${e.range}: ${e.low} .. ${e.high}`)
        .join('\n  ')}`,
    );
  });
});
