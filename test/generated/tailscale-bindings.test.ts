import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { TailnetKey } from '../../src/generated/tailscale/tailnet-key';

const root = path.resolve(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('the generated Tailscale bindings', () => {
  test('are what `npm run generate:tailscale` produces from the shared schema today', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tailscale-bindings-'));
    execFileSync('node', [path.join(root, 'scripts', 'generate-tailscale.js'), out], {
      stdio: 'pipe',
    });
    const committed = path.join(root, 'src', 'generated');
    const fresh = filesUnder(out);
    expect(fresh).toEqual(filesUnder(committed));
    for (const file of fresh) {
      expect([file, fs.readFileSync(path.join(out, file), 'utf8')]).toEqual([
        file,
        fs.readFileSync(path.join(committed, file), 'utf8'),
      ]);
    }
  });

  test('synthesize required_providers tailscale/tailscale ~> 0.29', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new TailscaleProvider(stack, 'tailscale', {});
    new TailnetKey(stack, 'key', { reusable: false, tags: ['tag:openclaw-test'] });
    const synth = JSON.parse(Testing.synth(stack));
    expect(synth.terraform.required_providers.tailscale).toEqual({
      source: 'tailscale/tailscale',
      version: '~> 0.29',
    });
  });
});

test('the bindings are importable as cdktf-openclaw/tailscale/<resource>', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../../package.json');
  const target = pkg.exports['./tailscale/*'].default as string;
  expect(target).toBe('./dist/src/generated/tailscale/*/index.js');
  // the compiled file comes from this source, which exists for every resource and the provider
  for (const name of ['provider', 'tailnet-key', 'acl']) {
    const source = target.replace('./dist/', '').replace('*', name).replace(/\.js$/, '.ts');
    expect(fs.existsSync(path.join(__dirname, '../..', source))).toBe(true);
  }
});

test('classic `node` resolution finds the same typings through typesVersions', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../../package.json');
  // `moduleResolution: node` (what `cdktf init` writes) ignores `exports`; typesVersions maps it
  const mapped = pkg.typesVersions['*']['tailscale/*'] as string[];
  expect(mapped).toEqual([pkg.exports['./tailscale/*'].types.replace(/^\.\//, '')]);
});
