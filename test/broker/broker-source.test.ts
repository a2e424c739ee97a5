import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { CellNetwork, CredentialBroker } from '../../src';
import { brokerBuildFiles, brokerSourceHash } from '../../src/broker/broker-source';
import { brokerSourceDir } from '../../src/broker/credential-broker';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function brokerIn(stack: TerraformStack, agent: string, subnet: number): CredentialBroker {
  const network = new CellNetwork(stack, `${agent}-net`, {
    name: `openclaw-${agent}`,
    subnet: `172.30.${subnet}.0/24`,
  });
  return new CredentialBroker(stack, `${agent}-broker`, {
    agent,
    network,
    address: `172.30.${subnet}.3`,
    region: 'eu-west-1',
    upstreams: [{ provider: 'anthropic', secretArn: `openclaw/${agent}/anthropic` }],
  });
}

/** A copy of the broker folder somewhere else, as another checkout would have it. */
function copyOfBroker(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-copy-'));
  fs.cpSync(brokerSourceDir(), dir, { recursive: true });
  return dir;
}

describe('the broker build context', () => {
  test('GIVEN two brokers in a stack WHEN synthesized THEN one asset holds exactly the build inputs, by a relative content-addressed path', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-source-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'agents');
    new DockerProvider(stack, 'docker', {});
    brokerIn(stack, 'research', 0);
    brokerIn(stack, 'messaging', 1);
    app.synth();

    const stackDir = path.join(outdir, 'stacks', 'agents');
    const json: Json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const contexts = Object.values(json.resource.docker_image).map(
      (image) => (image as Json).build.context,
    );
    const hash = brokerSourceHash(brokerSourceDir());
    expect(contexts).toEqual([
      `assets/openclaw-broker-source/${hash}`,
      `assets/openclaw-broker-source/${hash}`,
    ]);
    expect(JSON.stringify(json)).not.toContain('.staging');
    // staged inside the app's own output folder, never in a shared temporary folder
    expect(fs.readdirSync(path.join(outdir, '.staging'))).toEqual([
      `openclaw-broker-source-${hash}`,
    ]);
    expect(JSON.stringify(json)).not.toContain(brokerSourceDir());
    // the folder Terraform (run in the stack folder) builds from
    const context = path.join(stackDir, contexts[0]);
    expect(brokerBuildFiles(context)).toEqual(brokerBuildFiles(brokerSourceDir()));
    expect(brokerBuildFiles(context)).toEqual(
      expect.arrayContaining(['Dockerfile', 'package-lock.json', 'src/main.ts']),
    );
    expect(fs.readdirSync(context).sort()).toEqual([
      'Dockerfile',
      'package-lock.json',
      'package.json',
      'src',
      'tsconfig.json',
    ]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('the hash is the same in another checkout, ignores local node_modules and dist, and follows the sources', () => {
    const copy = copyOfBroker();
    const original = brokerSourceHash(brokerSourceDir());
    expect(brokerSourceHash(copy)).toBe(original);

    fs.mkdirSync(path.join(copy, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(copy, 'node_modules', 'x', 'index.js'), '1');
    fs.mkdirSync(path.join(copy, 'dist'));
    fs.writeFileSync(path.join(copy, 'dist', 'main.js'), '1');
    expect(brokerSourceHash(copy)).toBe(original);

    fs.appendFileSync(path.join(copy, 'src', 'main.ts'), '\n// changed\n');
    expect(brokerSourceHash(copy)).not.toBe(original);
    fs.rmSync(copy, { recursive: true, force: true });
  });
});
