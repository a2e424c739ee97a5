import { findConfigProblems } from '../../openclaw/config-problems';
import { envOf, list, obj } from '../inspect';
import { MCP_BROKERED_TOKEN } from '../../mcp/mcp-egress';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
} from '../model';

/**
 * Item 11: no secret value in a container's environment, where `docker inspect` shows it:
 * neither a secret-named variable with a literal value nor a value that looks like a credential.
 */
export const noSecretsInContainerEnv: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const env: Record<string, string> = {};
  for (const [name, value] of envOf(container)) {
    if (name === 'OPENCLAW_CONFIG_JSON') continue; // checked as a config
    // the fixed public placeholder an MCP server's tokenEnv gets (the broker sends the real key)
    if (value === MCP_BROKERED_TOKEN) continue;
    env[name] = isUnresolved(value) ? `${value}` : value;
  }
  const problems = findConfigProblems({ env })
    .filter(
      (p) =>
        p.path.startsWith('env') &&
        /literal secret|looks like|user name and password/.test(p.message),
    )
    .map((p) => p.message.replace(/^env\./, 'env '));
  for (const [name, value] of envOf(container)) {
    // header-style values: "Authorization: Bearer ...", "x-api-key=...", OTLP header lists
    if (
      /(authorization|x-api-key|api-key|cookie|x-auth-token)\s*[:=]\s*(bearer\s+|basic\s+)?[^\s,$]{8,}/i.test(
        value,
      ) ||
      /\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i.test(value)
    )
      problems.push(`env ${name} carries a credential in a header value (not shown)`);
    // a Tailscale auth key, other than a file: reference
    if (/tskey-(auth|client|api)-[A-Za-z0-9-]{6,}/.test(value))
      problems.push(`env ${name} holds a Tailscale auth key (value not shown); mount it as a file`);
    else if (
      /^(TS_AUTHKEY|TS_AUTH_KEY|TAILSCALE_AUTHKEY|TAILSCALE_AUTH_KEY)$/.test(name) &&
      value !== '' &&
      !value.startsWith('file:')
    )
      problems.push(`env ${name} is set to a value, not "file:<path>"; mount the key as a file`);
    if (/^AKIA[0-9A-Z]{16}$/.test(value) || name === 'AWS_SECRET_ACCESS_KEY')
      problems.push(`env ${name} holds a long-lived AWS access key; use the instance role`);
  }
  // ECS secrets and Kubernetes secretKeyRef/envFrom are read into the environment at start
  for (const e of list(container.attributes.secret_env)) {
    const { name, from } = obj(e);
    problems.push(
      name === '*'
        ? `env_from ${String(from)} places every key of the secret in the container's environment; mount it as a file instead`
        : `env ${String(name)} is filled from ${String(from)}, which places the secret in the container's environment; mount it as a file instead`,
    );
  }
  // a variable set from a Terraform reference still puts the value in the environment
  for (const [name, value] of envOf(container)) {
    if (
      /(TOKEN|PASSWORD|SECRET|API_KEY|_KEY|PASSPHRASE|CREDENTIALS?)$/i.test(name) &&
      isUnresolved(value) &&
      !/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(value)
    ) {
      problems.push(
        `env ${name} is set from ${value}, which places the secret in the container's environment; mount it as a file instead`,
      );
    }
  }
  return problems.length > 0 ? nonCompliant(...new Set(problems)) : compliant();
};
