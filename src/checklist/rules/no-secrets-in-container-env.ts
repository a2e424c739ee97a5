import { findConfigProblems } from '../../openclaw/config-problems';
import { envOf } from '../inspect';
import { compliant, isUnresolved, nonCompliant, notApplicable, ResourceRule } from '../model';

/**
 * Item 11: no secret value in a container's environment, where `docker inspect` shows it:
 * neither a secret-named variable with a literal value nor a value that looks like a credential.
 */
export const noSecretsInContainerEnv: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const env: Record<string, string> = {};
  for (const [name, value] of envOf(container)) {
    if (name === 'OPENCLAW_CONFIG_JSON') continue; // checked as a config
    env[name] = isUnresolved(value) ? `${value}` : value;
  }
  const problems = findConfigProblems({ env })
    .filter(
      (p) =>
        p.path.startsWith('env') &&
        /literal secret|looks like|user name and password/.test(p.message),
    )
    .map((p) => p.message.replace(/^env\./, 'env '));
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
