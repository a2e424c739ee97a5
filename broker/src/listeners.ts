/**
 * The broker process's listeners: the gateway's, and one per MCP server with egress (each on the
 * broker's address on that server's network, serving only that server's routes), all sharing one
 * budget of connections, requests, buffered bytes and tunnels (budget.ts), since they share one container's
 * memory.
 */
import * as http from 'http';
import { BrokerBudget, brokerBudget } from './budget';
import { BrokerConfig, listenerConfig } from './config';
import { SecretReader } from './secrets';
import { BrokerLimits, createBroker, DEFAULT_LIMITS } from './server';

export interface BrokerServer {
  readonly server: http.Server;
  readonly listen: { readonly host: string; readonly port: number };
  /** The MCP server this listener serves; undefined for the gateway's. */
  readonly mcpServer: string | undefined;
}

/** Creates them (nothing listens yet), with the budget they share. */
export function brokerServers(
  config: BrokerConfig,
  readSecret: SecretReader,
  limits: Partial<BrokerLimits> = {},
): { readonly servers: readonly BrokerServer[]; readonly budget: BrokerBudget } {
  const budget = brokerBudget({ ...DEFAULT_LIMITS, ...limits });
  const servers = [
    {
      server: createBroker({ config, readSecret, limits, budget }),
      listen: config.listen,
      mcpServer: undefined,
    },
    ...(config.listeners ?? []).map((l) => ({
      server: createBroker({
        config: listenerConfig(config, l),
        readSecret,
        limits,
        budget,
        mcpServer: { name: l.name, clients: l.clients },
      }),
      listen: l.listen,
      mcpServer: l.name,
    })),
  ];
  return { servers, budget };
}
