import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { awslogsDriver, CellNetwork, CredentialBroker, CredentialBrokerProps } from '../../src';
import {
  BROKER_NODE_VERSION,
  compareNodeVersions,
  NODE_SECURITY_FLOORS,
} from '../../src/openclaw/release';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function build(props: Partial<CredentialBrokerProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
  const broker = new CredentialBroker(stack, 'broker', {
    agent: 'research',
    network,
    address: '172.30.0.3',
    region: 'eu-west-1',
    upstreams: [{ provider: 'anthropic', secretArn: 'openclaw/research/anthropic' }],
    ...props,
  });
  const out: Json = JSON.parse(Testing.synth(stack));
  return { broker, out, container: out.resource.docker_container['openclaw-research-broker'] };
}

describe('CredentialBroker', () => {
  const { broker, out, container } = build();
  const env = Object.fromEntries(
    (container.env as string[]).map((e) => [
      e.slice(0, e.indexOf('=')),
      e.slice(e.indexOf('=') + 1),
    ]),
  );

  test('built on the Docker host from the package broker folder, with a versioned tag', () => {
    const image = out.resource.docker_image['openclaw-research-broker'];
    expect(image.build.context).toMatch(/^assets\/openclaw-broker-source\/[0-9a-f]{32}$/);
    expect(image.name).toMatch(/^cdktf-openclaw\/credential-broker:\d+\.\d+\.\d+$/);
  });

  test('the image runs on the Node release of the pin table, which the Dockerfile builds from', () => {
    const image = out.resource.docker_image['openclaw-research-broker'];
    expect(image.build.label).toEqual({ 'openclaw.node-version': BROKER_NODE_VERSION });
    // the build context is a content-addressed copy of broker/; its Dockerfile is broker/Dockerfile
    expect(image.build.context).toMatch(/^assets\/openclaw-broker-source\/[0-9a-f]{32}$/);
    const dockerfile = fs.readFileSync(
      path.join(__dirname, '..', '..', 'broker', 'Dockerfile'),
      'utf8',
    );
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual([
      `node:${BROKER_NODE_VERSION}-bookworm-slim`,
      `node:${BROKER_NODE_VERSION}-bookworm-slim`,
    ]);
    expect(
      compareNodeVersions(BROKER_NODE_VERSION, NODE_SECURITY_FLOORS[24]),
    ).toBeGreaterThanOrEqual(0);
  });

  test('hardened like the gateway', () => {
    expect(container).toMatchObject({
      user: '1000:1000',
      read_only: true,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      init: true,
      // 512 MiB, not the MCP servers' 256: at its in-flight cap with every peer stalled the
      // broker's resident memory passed 256 MiB (test/engine/broker-load.test.ts)
      memory: 512,
      memory_swap: 512,
    });
    // Node's whole heap at 384 MiB: 336 old space and three 16 MiB semi-spaces
    expect(container.env).toContain(
      'NODE_OPTIONS=--max-old-space-size=336 --max-semi-space-size=16',
    );
    expect(container.security_opts[0]).toBe('no-new-privileges:true');
    expect(container.ports).toBeUndefined();
  });

  test('on the cell network and its own egress network: the only member with a route out', () => {
    expect(container.networks_advanced).toEqual([
      { name: '${docker_network.openclaw-research.name}', ipv4_address: '172.30.0.3' },
      { name: '${docker_network.openclaw-research-broker-egress.name}' },
    ]);
    expect(out.resource.docker_network['openclaw-research-broker-egress'].internal).toBe(false);
  });

  test('its configuration names the secret, never a value', () => {
    const config = JSON.parse(env.BROKER_CONFIG);
    expect(config).toEqual({
      agent: 'research',
      listen: { host: '0.0.0.0', port: 8080 },
      upstreams: [
        {
          name: 'anthropic',
          baseUrl: 'https://api.anthropic.com',
          auth: { kind: 'header', header: 'x-api-key' },
          secret: 'openclaw/research/anthropic',
          requestsPerMinute: 120,
          methods: ['GET', 'POST', 'DELETE'],
        },
      ],
      connectAllowlist: [],
      secretTtlSeconds: 300,
    });
    expect(env.AWS_REGION).toBe('eu-west-1');
  });

  test('gives the gateway a provider entry pointed at itself, with no key', () => {
    expect(broker.modelProvider('anthropic', [{ id: 'claude-sonnet-4-5' }])).toEqual({
      id: 'anthropic',
      api: 'anthropic-messages',
      baseUrl: 'http://172.30.0.3:8080/anthropic',
      models: [{ id: 'claude-sonnet-4-5' }],
    });
    expect(() => broker.modelProvider('openai')).toThrow(
      'the broker has no upstream "openai"; known: anthropic',
    );
  });

  test('GIVEN a role THEN the broker assumes it; a service upstream has a route but is no model provider', () => {
    const { broker: b, container: c } = build({
      roleArn: 'arn:aws:iam::123456789012:role/openclaw-research-broker',
      upstreams: [
        { provider: 'anthropic', secretArn: 'openclaw/research/anthropic' },
        {
          provider: { name: 'github', baseUrl: 'https://api.github.com', auth: 'bearer' },
          secretArn: 'openclaw/research/github',
        },
      ],
    });
    expect(c.env).toContain(
      'BROKER_ROLE_ARN=arn:aws:iam::123456789012:role/openclaw-research-broker',
    );
    expect(b.routeUrl('github')).toBe('http://172.30.0.3:8080/github');
    expect(() => b.routeUrl('gitlab')).toThrow(
      'the broker has no upstream "gitlab"; known: anthropic, github',
    );
    expect(() => b.modelProvider('github')).toThrow(
      'upstream "github" has no api, so it is not a model provider',
    );
  });

  test("is the gateway's egress proxy for granted channel hosts", () => {
    expect(broker.proxyUrl).toBe('http://172.30.0.3:8080');
  });

  test('on a Docker host without an instance role, a credentials file mounted into the broker only', () => {
    const { container: c } = build({
      awsCredentialsHostPath: '/srv/openclaw/research/aws-credentials',
    });
    expect(c.mounts).toEqual([
      {
        type: 'bind',
        source: '/srv/openclaw/research/aws-credentials',
        target: '/run/aws/credentials',
        read_only: true,
      },
    ]);
    expect(c.env).toContain('AWS_SHARED_CREDENTIALS_FILE=/run/aws/credentials');
  });

  test.each<[string, Partial<CredentialBrokerProps>, string]>([
    [
      'an address outside the cell',
      { address: '10.0.0.3' },
      'broker address "10.0.0.3" is not a usable host address in the cell subnet 172.30.0.0/24',
    ],
    ['no upstream', { upstreams: [] }, 'the broker needs at least one upstream'],
    [
      'a role that is not a role ARN',
      { roleArn: 'openclaw-research-broker' },
      'broker roleArn "openclaw-research-broker" is not an IAM role ARN',
    ],
    [
      'a region that is not one',
      { region: 'EU' },
      'broker region "EU" is not an AWS region; give a literal such as "eu-west-1" or a reference',
    ],
    [
      'a wildcard CONNECT grant',
      { connectAllowlist: ['*:443'] },
      'CONNECT target "*:443" is not an exact host:port (wildcards and bare hosts are not accepted); give an exact public host:port such as "api.telegram.org:443"',
    ],
    [
      'a CONNECT grant to the metadata service (the profile layer refuses it too)',
      { connectAllowlist: ['169.254.169.254:80'] },
      'CONNECT target "169.254.169.254:80" names an IP address; give an exact public host:port such as "api.telegram.org:443" (an IP outside the internet only through dangerouslyAllowPrivateConnectTargets)',
    ],
    [
      'a CONNECT grant to an internal name',
      { connectAllowlist: ['db.internal:5432'] },
      'CONNECT target "db.internal:5432" names an internal host',
    ],
    [
      'a CONNECT grant with a port above 65535',
      { connectAllowlist: ['api.telegram.org:99999'] },
      'CONNECT target "api.telegram.org:99999" has port 99999, not a TCP port from 1 to 65535',
    ],
    [
      'a private CONNECT target without a reason',
      { dangerouslyAllowPrivateConnectTargets: { targets: ['10.0.0.5:443'], reason: 'because' } },
      'dangerouslyAllowPrivateConnectTargets needs a reason of at least 20 characters (got 7)',
    ],
    [
      'a private CONNECT target that is a name',
      {
        dangerouslyAllowPrivateConnectTargets: {
          targets: ['db.example.com:443'],
          reason: 'the on-premises chat server of the lab',
        },
      },
      'private CONNECT target "db.example.com:443" must be an exact IPv4 address and TCP port, such as "10.0.0.5:443"',
    ],
    [
      'a plain-http custom upstream',
      {
        upstreams: [
          {
            provider: {
              name: 'x',
              baseUrl: 'http://x.example.com',
              auth: 'bearer',
              api: 'openai-completions',
            },
            secretArn: 's',
          },
        ],
      },
      'upstream "x" baseUrl "http://x.example.com" must be https',
    ],
    [
      'the host credentials of ~/.aws',
      { awsCredentialsHostPath: '/root/.aws/credentials' },
      'bind mount of "/root/.aws/credentials" exposes a home directory',
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('CredentialBroker private CONNECT targets', () => {
  test('GIVEN an explicit private IP with a reason THEN it reaches the broker config and is recorded as a weakening', () => {
    const { broker, container } = build({
      dangerouslyAllowPrivateConnectTargets: {
        targets: ['10.0.0.5:443'],
        reason: 'the on-premises chat server of the lab',
      },
    });
    const env = (container.env as string[]).find((e) => e.startsWith('BROKER_CONFIG='))!;
    expect(JSON.parse(env.slice('BROKER_CONFIG='.length)).connectPrivateTargets).toEqual([
      '10.0.0.5:443',
    ]);
    expect(
      broker.node.metadata.find((m) => m.type === 'cdktf-openclaw/weakening')?.data,
    ).toMatchObject({ id: 'broker-private-connect-targets' });
  });
});

describe('CredentialBroker logging', () => {
  test('GIVEN the awslogs driver THEN the container writes to its log group', () => {
    const { container } = build({ logging: awslogsDriver('eu-west-1', 'research', 'broker') });
    expect(container.log_driver).toBe('awslogs');
    expect(container.log_opts['awslogs-group']).toBe('/openclaw/research/broker');
  });

  test('GIVEN the "none" driver THEN refused', () => {
    expect(() => build({ logging: { driver: 'none' } })).toThrow(
      'logging driver "none" discards the broker\'s output, which the audit trail needs; use "json-file", "journald" or "awslogs"',
    );
  });
});
