#!/usr/bin/env node
/**
 * Broker entrypoint. Configuration (no secret in it) comes from BROKER_CONFIG as JSON; AWS
 * credentials from the broker's own role (the instance role on EC2, or a credentials file mounted
 * into this container only). Secrets Manager may be pointed elsewhere with
 * BROKER_SECRETS_ENDPOINT (tests only).
 */
import { BrokerConfig } from './config';
import { secretsManagerReader } from './secrets';
import { createBroker } from './server';

const raw = process.env.BROKER_CONFIG;
if (!raw) {
  process.stderr.write(
    'BROKER_CONFIG is not set; the broker refuses to start without its configuration\n',
  );
  process.exit(2);
}
const config = JSON.parse(raw) as BrokerConfig;
const server = createBroker({
  config,
  readSecret: secretsManagerReader({
    region: process.env.AWS_REGION,
    endpoint: process.env.BROKER_SECRETS_ENDPOINT,
  }),
});
server.listen(config.listen.port, config.listen.host, () => {
  process.stdout.write(
    `${JSON.stringify({ ts: new Date().toISOString(), agent: config.agent, event: 'listening', port: config.listen.port })}\n`,
  );
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
