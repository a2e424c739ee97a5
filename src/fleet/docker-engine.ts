import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AgentHost } from '../host/agent-host';

/**
 * The Docker engine a fleet's host runs on, as far as synth can tell: its AgentHost, the docker
 * provider its resources use, and that provider's `host` when it is a literal.
 */
export interface DockerEngine {
  /** The AgentHost, for a host given as one. */
  readonly agentHost?: AgentHost;
  /**
   * The docker provider the host's docker resources use: the one given, else the stack's default
   * (unaliased) DockerProvider, else the stack itself (its undeclared default provider).
   */
  readonly provider: Construct;
  /**
   * The provider's `host` when it is a DockerProvider with a literal one: "" when unset (the
   * provider takes DOCKER_HOST, else the local socket).
   * @default - not known (not a DockerProvider, none declared, or a token): compared by identity
   */
  readonly address?: string;
}

/**
 * The engine of a fleet's host, from the fleet (`scope`), the host's AgentHost and the docker
 * provider given with it; with none given, the resources go to the stack's default provider.
 */
export function dockerEngine(
  scope: Construct,
  agentHost: AgentHost | undefined,
  docker: TerraformProvider | undefined,
): DockerEngine {
  const provider = docker ?? defaultDockerProvider(scope);
  if (!(provider instanceof DockerProvider)) return { agentHost, provider };
  const address = provider.host;
  if (address !== undefined && Token.isUnresolved(address)) return { agentHost, provider };
  return { agentHost, provider, address: address ?? '' };
}

/** The stack's only unaliased DockerProvider, or the stack when it declares none (or several). */
function defaultDockerProvider(scope: Construct): Construct {
  const stack = TerraformStack.of(scope);
  const found = stack.node
    .findAll()
    .filter(
      (c): c is DockerProvider =>
        c instanceof DockerProvider && c.alias === undefined && TerraformStack.of(c) === stack,
    );
  return found.length === 1 ? found[0] : stack;
}

/**
 * Why two engines are one, shown to the operator, or undefined when synth cannot tell them
 * apart from two engines (two tokens, two undeclared providers of two stacks): never a guess.
 */
export function sameEngine(a: DockerEngine, b: DockerEngine): string | undefined {
  if (a.agentHost !== undefined && a.agentHost === b.agentHost) {
    return `AgentHost "${a.agentHost.namePrefix}${a.agentHost.name}"`;
  }
  if (a.provider === b.provider) {
    return a.provider instanceof TerraformStack
      ? `the default docker provider of stack "${a.provider.node.path}"`
      : `docker provider "${a.provider.node.path}"`;
  }
  if (a.address !== undefined && a.address === b.address) {
    return a.address === ''
      ? 'docker providers without host: DOCKER_HOST, else the local socket'
      : `docker host "${a.address}"`;
  }
  return undefined;
}
