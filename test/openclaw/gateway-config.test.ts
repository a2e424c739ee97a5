import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { GatewayConfig, OpenClawSecret } from '../../src';
import { unescapeTerraformTemplate } from '../../src/core/terraform-string';
import { GATEWAY_CONFIG_METADATA } from '../../src/openclaw/gateway-config';

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');

describe('GatewayConfig', () => {
  test('embeds the rendered JSON as a named Terraform local', () => {
    // GIVEN
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    // WHEN
    const config = new GatewayConfig(stack, 'agent', { gatewayToken: token });
    const synth = JSON.parse(Testing.synth(stack));
    // THEN
    expect(synth.locals.openclaw_config_agent).toBe(config.json);
    expect(JSON.parse(synth.locals.openclaw_config_agent)).toEqual(config.rendered.document);
  });

  test('escapes OpenClaw ${ENV} references so Terraform keeps them literal', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    const config = new GatewayConfig(stack, 'agent', {
      gatewayToken: token,
      overrides: { channels: { telegram: { botToken: '${TELEGRAM_BOT_TOKEN}' } } },
    });
    const local: string = JSON.parse(Testing.synth(stack)).locals.openclaw_config_agent;
    expect(local).toContain('"botToken": "$${TELEGRAM_BOT_TOKEN}"');
    expect(unescapeTerraformTemplate(local)).toBe(config.json);
  });

  test('ships openclaw.json as a stack asset with the same content', () => {
    // GIVEN an app that synthesizes into a temp folder
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-config-test-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    // WHEN
    const config = new GatewayConfig(stack, 'agent', { gatewayToken: token });
    app.synth();
    // THEN the asset lands next to the stack's cdk.tf.json
    const file = path.join(outdir, 'stacks', 'test', config.asset.path);
    expect(path.basename(file)).toBe('openclaw.json');
    expect(fs.readFileSync(file, 'utf8')).toBe(config.json);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('a synth writes nothing outside its output folder: the config is staged there, 0600, once per content', () => {
    // GIVEN an app that synthesizes into a temp folder, and what the temp folder held before
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-config-test-'));
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    // WHEN two agents with the same config and one with another are synthesized
    const configs = [
      new GatewayConfig(stack, 'one', { gatewayToken: token }),
      new GatewayConfig(stack, 'two', { gatewayToken: token }),
      new GatewayConfig(stack, 'three', { gatewayToken: token, bindAddress: '10.1.0.10' }),
    ];
    app.synth();
    try {
      // THEN the configs are staged in the app's own output folder, the same content as one file
      // (readable by its owner only), nothing half-written left, and each agent's asset holds
      // its own config
      const staging = path.join(outdir, '.staging');
      const files = fs.readdirSync(staging).map((d) => path.join(staging, d, 'openclaw.json'));
      expect(files).toHaveLength(2);
      expect(fs.readdirSync(staging).flatMap((d) => fs.readdirSync(path.join(staging, d)))).toEqual(
        ['openclaw.json', 'openclaw.json'],
      );
      for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
      expect(files.map((f) => fs.readFileSync(f, 'utf8')).sort()).toEqual(
        [configs[0].json, configs[2].json].sort(),
      );
      for (const c of configs)
        expect(fs.readFileSync(path.join(outdir, 'stacks', 'test', c.asset.path), 'utf8')).toBe(
          c.json,
        );
      // and no new folder of ours in the system's temp folder
      const added = fs.readdirSync(os.tmpdir()).filter((n) => !tmpBefore.has(n));
      expect(added.filter((n) => n.startsWith('cdktf-openclaw-config-'))).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('records weakenings on the construct for the checklist', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    const config = new GatewayConfig(stack, 'agent', {
      gatewayToken: token,
      bindAddress: '10.1.0.10',
      trustedProxies: ['10.1.0.0/30'],
      dangerouslyAllowBroadTrustedProxies: { reason: 'two proxies share this /30 during failover' },
    });
    const meta = config.node.metadata.find((m) => m.type === GATEWAY_CONFIG_METADATA);
    expect(meta?.data).toEqual({
      weakenings: [
        {
          id: 'broad-trusted-proxies',
          what: 'trustedProxies includes "10.1.0.0/30"',
          reason: 'two proxies share this /30 during failover',
        },
      ],
    });
  });

  test('a bad config fails at construction, naming the fix', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    expect(
      () => new GatewayConfig(stack, 'agent', { gatewayToken: token, bindAddress: '0.0.0.0' }),
    ).toThrow('bindAddress "0.0.0.0" listens on every interface');
  });
});
