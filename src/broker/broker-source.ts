import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * What the broker's Dockerfile reads from its build context, relative to the broker folder
 * (brokerSourceDir()) (the same files package.json ships). Anything else in that folder (a local
 * node_modules or dist) is left out, so it neither enters the image nor changes the hash.
 */
const BUILD_INPUTS = ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'src'];

/** The id of the one broker source asset per stack. */
const ASSET_ID = 'openclaw-broker-source';

/** The broker's build inputs as sorted posix paths relative to `dir`. */
export function brokerBuildFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string): void => {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full)) walk(path.posix.join(rel, name));
    } else {
      files.push(rel);
    }
  };
  for (const input of BUILD_INPUTS) walk(input);
  return files.sort();
}

/** sha256 over each build input's relative path and content: the same on every checkout. */
export function brokerSourceHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of brokerBuildFiles(dir)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

const staged = new Set<string>();

/**
 * A clean copy of the build inputs, in a folder named by their hash inside the app's own output
 * folder (cdktf.out: the user's, never a shared temporary folder), copied once per process; the
 * stack's asset is then copied from it at synth.
 */
function stagedBrokerSource(source: string, outdir: string): { dir: string; hash: string } {
  const hash = brokerSourceHash(source);
  const dir = path.resolve(outdir, '.staging', `${ASSET_ID}-${hash}`);
  if (!staged.has(dir) || !fs.existsSync(dir)) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const file of brokerBuildFiles(source)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(source, file), path.join(dir, file));
    }
    staged.add(dir);
  }
  return { dir, hash };
}

/**
 * The broker's Docker build context for a stack: its build inputs copied next to the stack's
 * cdk.tf.json as a cdktf asset, referenced by a path relative to the stack folder
 * (`assets/openclaw-broker-source/<content hash>`), where Terraform runs. The synthesized JSON
 * holds no machine path, and the context changes exactly when the broker's sources do.
 */
export function brokerBuildContext(scope: Construct, sourceDir: string): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ASSET_ID);
  if (existing instanceof TerraformAsset) return existing.path;
  const source = stagedBrokerSource(sourceDir, App.of(stack).outdir);
  return new TerraformAsset(stack, ASSET_ID, {
    path: source.dir,
    type: AssetType.DIRECTORY,
    assetHash: source.hash,
  }).path;
}
