#!/usr/bin/env node
/**
 * Broker entrypoint. Configuration (no secret in it) comes from BROKER_CONFIG as JSON; AWS
 * credentials from the broker's own role (BROKER_ROLE_ARN), assumed from the instance role on EC2
 * or from a credentials file mounted into this container only. Secrets Manager may be pointed elsewhere with
 * BROKER_SECRETS_ENDPOINT (tests only).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderAwsProfile } from './aws-profile';
import { BrokerConfig, validateBrokerConfig } from './config';
import { brokerServers } from './listeners';
import { secretsManagerReader } from './secrets';

const raw = process.env.BROKER_CONFIG;
if (!raw) {
  process.stderr.write(
    'BROKER_CONFIG is not set; the broker refuses to start without its configuration\n',
  );
  process.exit(2);
}
const config = JSON.parse(raw) as BrokerConfig;
const roleArn = process.env.BROKER_ROLE_ARN;
if (roleArn) {
  // the agent's own role, assumed from the host's credentials: every secret read in CloudTrail
  // names this agent's broker
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    renderAwsProfile({
      roleArn,
      sessionName: `openclaw-${config.agent}-broker`,
      source: process.env.AWS_SHARED_CREDENTIALS_FILE ? 'credentials-file' : 'instance-metadata',
    }),
    { mode: 0o600 },
  );
  process.env.AWS_CONFIG_FILE = file;
  process.env.AWS_PROFILE = 'broker';
}
// checked whole before anything listens: a bad listener stops the broker, it is never skipped
validateBrokerConfig(config);
const readSecret = secretsManagerReader({
  region: process.env.AWS_REGION,
  endpoint: process.env.BROKER_SECRETS_ENDPOINT,
});
// the gateway's listener and one per MCP server with egress, sharing one budget (budget.ts)
const { servers } = brokerServers(config, readSecret);
for (const { server, listen, mcpServer } of servers) {
  server.on('error', (e) => {
    process.stderr.write(
      `the broker cannot listen on ${listen.host}:${listen.port}${mcpServer ? ` (MCP server ${mcpServer})` : ''}: ${e.message}\n`,
    );
    process.exit(1);
  });
  server.listen(listen.port, listen.host, () => {
    process.stdout.write(
      `${JSON.stringify({ ts: new Date().toISOString(), agent: config.agent, event: 'listening', host: listen.host, port: listen.port, ...(mcpServer ? { mcpServer } : {}) })}\n`,
    );
  });
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    let open = servers.length;
    for (const { server } of servers) server.close(() => --open === 0 && process.exit(0));
  });
}
