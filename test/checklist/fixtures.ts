/**
 * A stack, written as plain Terraform JSON, that every checklist rule applies to and passes: one
 * hardened gateway cell on Docker plus the AWS and Tailscale resources the rules know. Rule tests
 * break it one way at a time.
 */
import { OpenClawSecret, renderOpenClawConfig, seccompProfileJson } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const DIGEST = `sha256:${'a'.repeat(64)}`;

export function hardenedConfigJson(): string {
  return renderOpenClawConfig({
    gatewayToken: OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token'),
    bindAddress: '172.30.0.10',
    trustedProxies: ['172.30.0.2/32'],
    controlUiOrigins: ['https://agent.tail1234.ts.net'],
    modelProviders: [
      { id: 'anthropic', api: 'anthropic-messages', baseUrl: 'http://172.30.0.3:8080/anthropic' },
    ],
  }).json;
}

export function compliantStack(): Json {
  const gateway = {
    name: 'gw',
    image: '${docker_image.gw.image_id}',
    user: '1000:1000',
    read_only: true,
    capabilities: { drop: ['ALL'] },
    security_opts: [
      'no-new-privileges:true',
      `seccomp=${seccompProfileJson()}`,
      'apparmor=docker-default',
    ],
    tmpfs: { '/tmp': 'rw,noexec,nosuid,size=100m' },
    memory: 2048,
    memory_swap: 2048,
    cpus: '2',
    cgroup_parent: 'openclaw-gw.slice',
    env: [
      'OPENCLAW_DISABLE_BONJOUR=1',
      'NODE_OPTIONS=--max-old-space-size=1536',
      `OPENCLAW_CONFIG_JSON=${hardenedConfigJson()}`,
    ],
    labels: [{ label: 'openclaw.role', value: 'gateway' }],
    networks_advanced: [{ name: '${docker_network.cell.name}', ipv4_address: '172.30.0.10' }],
    mounts: [
      { type: 'volume', source: '${docker_volume.gw-state.name}', target: '/home/node' },
      {
        type: 'bind',
        source: '/run/openclaw/gw/secrets',
        target: '/run/secrets/openclaw',
        read_only: true,
      },
    ],
    log_driver: 'json-file',
  };
  const sidecar = {
    name: 'gw-tailscale',
    image: '${docker_image.tailscale.image_id}',
    user: '1000:1000',
    read_only: true,
    capabilities: { drop: ['ALL'] },
    security_opts: [
      'no-new-privileges:true',
      `seccomp=${seccompProfileJson()}`,
      'apparmor=docker-default',
    ],
    tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
    memory: 256,
    memory_swap: 256,
    cpus: '0.5',
    cgroup_parent: 'openclaw-gw.slice',
    env: ['TS_USERSPACE=true', 'TS_AUTHKEY=file:/var/lib/tailscale/authkey'],
    labels: [
      { label: 'openclaw.role', value: 'tailnet-sidecar' },
      {
        label: 'openclaw.weakening.writable-mount:/var/lib/tailscale',
        value: 'Tailscale keeps the node key here',
      },
    ],
    networks_advanced: [
      { name: '${docker_network.cell.name}', ipv4_address: '172.30.0.2' },
      { name: '${docker_network.egress.name}' },
    ],
    mounts: [
      {
        type: 'bind',
        source: '/var/lib/openclaw/gw/tailscale',
        target: '/var/lib/tailscale',
        read_only: false,
      },
    ],
    log_driver: 'json-file',
  };
  const broker = {
    ...sidecar,
    name: 'gw-broker',
    image: '${docker_image.broker.image_id}',
    env: [
      `BROKER_CONFIG=${JSON.stringify({
        agent: 'gw',
        listen: { host: '0.0.0.0', port: 8080 },
        upstreams: [
          {
            name: 'anthropic',
            baseUrl: 'https://api.anthropic.com',
            auth: { kind: 'header', header: 'x-api-key' },
            secret: 'openclaw/gw/anthropic',
            requestsPerMinute: 120,
          },
        ],
        connectAllowlist: [],
        secretTtlSeconds: 300,
      })}`,
    ],
    labels: [{ label: 'openclaw.role', value: 'credential-broker' }],
    networks_advanced: [
      { name: '${docker_network.cell.name}', ipv4_address: '172.30.0.3' },
      { name: '${docker_network.egress.name}' },
    ],
    mounts: [],
  };
  // an MCP server in its own container, on a network shared with the gateway only
  const mcp = {
    ...sidecar,
    name: 'gw-mcp-notes',
    image: '${docker_image.mcp-notes.image_id}',
    env: [
      'MCP_BRIDGE_HOST=172.28.0.3:8808',
      'HOME=/data',
      'NOTES_TOKEN_FILE=/run/secrets/mcp/notes-token',
    ],
    labels: [{ label: 'openclaw.role', value: 'mcp-server' }],
    networks_advanced: [{ name: '${docker_network.mcp-notes.name}', ipv4_address: '172.28.0.3' }],
    mounts: [
      { type: 'volume', source: '${docker_volume.mcp-notes-state.name}', target: '/data' },
      // its credential, a file in its own container only
      {
        type: 'bind',
        source: '/run/openclaw/gw-mcp-notes/secrets',
        target: '/run/secrets/mcp',
        read_only: true,
      },
    ],
  };
  gateway.networks_advanced.push({
    name: '${docker_network.mcp-notes.name}',
    ipv4_address: '172.28.0.2',
  });
  const policy = {
    tagOwners: { 'tag:openclaw-research': ['group:platform'] },
    grants: [{ src: ['group:research'], dst: ['tag:openclaw-research'], ip: ['tcp:443'] }],
    tests: [
      {
        src: 'group:research',
        accept: ['tag:openclaw-research:443'],
        deny: ['tag:openclaw-research:18789'],
      },
    ],
  };
  return {
    '//': { metadata: { stackName: 'fixture' } },
    terraform: { required_providers: {} },
    locals: { openclaw_config_gw: hardenedConfigJson() },
    resource: {
      docker_network: {
        cell: { name: 'cell', internal: true, driver: 'bridge' },
        egress: { name: 'egress', internal: false, driver: 'bridge' },
        'mcp-notes': { name: 'gw-mcp-notes', internal: true, driver: 'bridge' },
      },
      docker_volume: {
        'gw-state': { name: 'gw-state' },
        'mcp-notes-state': { name: 'gw-mcp-notes-state' },
      },
      docker_container: {
        gw: gateway,
        'gw-tailscale': sidecar,
        'gw-broker': broker,
        'gw-mcp-notes': mcp,
      },
      docker_image: {
        gw: { name: `ghcr.io/openclaw/openclaw:2026.9.6@${DIGEST}` },
        tailscale: { name: `tailscale/tailscale:v1.102.3@${DIGEST}` },
        broker: {
          name: `cdktf-openclaw/credential-broker:0.1.0@${DIGEST}`,
          build: { context: '/broker', label: { 'openclaw.node-version': '24.22.3' } },
        },
        'mcp-notes': {
          name: `cdktf-openclaw/mcp-notes:1.0.0@${DIGEST}`,
          build: { context: '/mcp-notes', label: { 'openclaw.node-version': '24.22.3' } },
        },
      },
      aws_security_group: {
        host: {
          name: 'host',
          vpc_id: 'vpc-1',
          egress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }],
        },
      },
      aws_vpc_security_group_ingress_rule: {
        from_peer: {
          security_group_id: '${aws_security_group.host.id}',
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          referenced_security_group_id: 'sg-peer',
        },
      },
      aws_security_group_rule: {
        lb: {
          type: 'ingress',
          security_group_id: '${aws_security_group.host.id}',
          protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          source_security_group_id: 'sg-lb',
        },
      },
      aws_network_acl: {
        private: {
          vpc_id: 'vpc-1',
          ingress: [
            {
              rule_no: 10,
              action: 'deny',
              protocol: 'tcp',
              from_port: 18789,
              to_port: 18789,
              cidr_block: '0.0.0.0/0',
            },
            // the usual return-traffic allow, after the deny: first match wins, so 18789 stays closed
            {
              rule_no: 100,
              action: 'allow',
              protocol: 'tcp',
              from_port: 1024,
              to_port: 65535,
              cidr_block: '0.0.0.0/0',
            },
          ],
        },
      },
      aws_network_acl_rule: {
        deny6: {
          network_acl_id: '${aws_network_acl.private.id}',
          rule_number: 11,
          egress: false,
          protocol: 'tcp',
          rule_action: 'deny',
          from_port: 18789,
          to_port: 18789,
          ipv6_cidr_block: '::/0',
        },
      },
      aws_kms_key: { agent: { description: 'agent', enable_key_rotation: true } },
      aws_secretsmanager_secret: {
        token: {
          name: 'openclaw/gw/token',
          kms_key_id: '${aws_kms_key.agent.arn}',
          recovery_window_in_days: 7,
          tags: {
            'openclaw:kind': 'mail',
            'openclaw:scopes': 'https://www.googleapis.com/auth/gmail.readonly',
          },
        },
      },
      aws_secretsmanager_secret_rotation: {
        token: {
          secret_id: '${aws_secretsmanager_secret.token.id}',
          rotation_lambda_arn: 'arn:aws:lambda:eu-west-1:1:function:rotate',
          rotation_rules: { automatically_after_days: 30 },
        },
      },
      aws_secretsmanager_secret_version: {
        token: {
          secret_id: '${aws_secretsmanager_secret.token.id}',
          secret_string_wo: '${ephemeral.random_password.token.result}',
          secret_string_wo_version: 1,
        },
      },
      aws_iam_policy: {
        broker: {
          name: 'broker',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['secretsmanager:GetSecretValue'],
                Resource: ['arn:aws:secretsmanager:eu-west-1:1:secret:openclaw/gw/token-abc'],
              },
            ],
          }),
        },
      },
      aws_instance: {
        host: {
          ami: 'ami-1',
          instance_type: 't3.small',
          associate_public_ip_address: false,
          vpc_security_group_ids: ['${aws_security_group.host.id}'],
          tags: { Name: 'agents', 'openclaw:role': 'agent-host' },
          metadata_options: {
            http_endpoint: 'enabled',
            http_tokens: 'required',
            http_put_response_hop_limit: 2,
          },
          root_block_device: {
            encrypted: true,
            kms_key_id: '${aws_kms_key.agent.arn}',
            volume_size: 30,
          },
          user_data: '#cloud-config\npackages: [docker.io]\n',
        },
      },
      aws_cloudwatch_log_group: {
        gw: {
          name: '/openclaw/gw',
          retention_in_days: 365,
          kms_key_id: '${aws_kms_key.agent.arn}',
        },
      },
      aws_cloudtrail: {
        trail: {
          name: 'trail',
          s3_bucket_name: 'b',
          enable_log_file_validation: true,
          kms_key_id: '${aws_kms_key.agent.arn}',
          is_multi_region_trail: true,
        },
      },
      aws_scheduler_schedule: {
        review: {
          name: 'monthly-review',
          schedule_expression: 'rate(30 days)',
          flexible_time_window: { mode: 'OFF' },
          target: { arn: 'arn:aws:sns:eu-west-1:1:t', role_arn: 'arn:aws:iam::1:role/s' },
        },
      },
      tailscale_acl: { policy: { acl: JSON.stringify(policy) } },
      tailscale_tailnet_key: {
        gw: {
          reusable: false,
          ephemeral: false,
          preauthorized: true,
          expiry: 3600,
          tags: ['tag:openclaw-research'],
        },
      },
    },
  };
}

/** A deep copy of the compliant stack with `change` applied to it. */
export function brokenStack(change: (stack: Json) => void): Json {
  const stack = compliantStack();
  change(stack);
  return stack;
}

export const gw = (s: Json) => s.resource.docker_container.gw;
export const configOf = (s: Json) => JSON.parse(s.locals.openclaw_config_gw);
export function setConfig(s: Json, change: (doc: Json) => void): void {
  const doc = configOf(s);
  change(doc);
  s.locals.openclaw_config_gw = JSON.stringify(doc);
}
