/**
 * An MCP server as an agent runs it: an exact npm package, pinned with its integrity, in a
 * container of its own. Pure: validation and the lockfile check need no construct scope.
 */
import * as fs from 'fs';
import { PROFILE_NAME } from '../core/names';
import { findConfigProblems, SECRET_KEY } from '../openclaw/config-problems';
import { parsePinnedPackage, PinnedPackage } from '../openclaw/pinned-package';
import { McpUpstream, validateMcpEgress } from './mcp-egress';

/** An MCP server run in its own hardened container from an exactly pinned npm package. */
export interface McpServer {
  /** Server name, used as the tool prefix (`<name>__<tool>`) and in container names. */
  readonly name: string;
  /** Exact npm pin, such as `@modelcontextprotocol/server-memory@2026.8.31`. */
  readonly package: string;
  /**
   * The integrity of the package's tarball as the registry publishes it (`npm view <pkg>@<version>
   * dist.integrity`): the image build checks the downloaded tarball against it. The server's own
   * dependencies then resolve at build time within its declared ranges; give `lockfile` to pin
   * them too. One of `integrity` and `lockfile` is required.
   * @default - the lockfile pins it
   */
  readonly integrity?: string;
  /**
   * Path to a package-lock.json (lockfileVersion 2 or 3) whose root depends on exactly this
   * package, with an integrity for every package in it: the image is built with `npm ci` from it,
   * so every byte of the server and its dependencies is pinned. Make one in an empty folder with
   * `npm init -y && npm install --package-lock-only --save-exact <pkg>@<version>`.
   * @default - `integrity` pins the package itself
   */
  readonly lockfile?: string;
  /**
   * The package's executable to run, for a package with several `bin` entries.
   * @default - the package's only `bin` entry
   */
  readonly bin?: string;
  /**
   * Extra arguments for the server.
   * @default - none
   */
  readonly args?: readonly string[];
  /**
   * Environment of the server inside its container: non-secret values only. A credential never
   * goes into a container's environment.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The only tools exposed from this server (exact names or `*` globs).
   * @default - all of the server's tools
   */
  readonly tools?: readonly string[];
  /**
   * The exact public host:port pairs the server needs (its documented dependencies), such as
   * `api.github.com:443`. It reaches them only through its agent's broker, on a listener of its
   * own (CONNECT allowlist of this server alone, every tunnel logged with its name), through
   * HTTPS_PROXY; so the server must honour a proxy (Node servers do: NODE_USE_ENV_PROXY=1 is set).
   * @default - none: the server reaches nothing but its gateway
   */
  readonly egress?: readonly string[];
  /**
   * APIs the server calls with a credential, brokered: the server takes the API's base URL from
   * an environment variable, pointed at its broker listener, which injects the key as for models.
   * @default - none
   */
  readonly upstreams?: readonly McpUpstream[];
  /**
   * Credentials handed to this server as files: each is mounted read-only into this server's
   * container only, at `/run/secrets/mcp/<file>`, from the host directory
   * `/run/openclaw/<prefix>openclaw-<agent>-mcp-<server>/secrets` (a tmpfs), never into its
   * environment and never into the gateway. Tell the server where the file is with a non-secret
   * `env` value or argument, such as `GITHUB_TOKEN_FILE=/run/secrets/mcp/github-token`; a server
   * that reads its credential only from the environment needs a small wrapper of yours that reads
   * the file and starts it. For a server that takes a base URL, broker the credential instead.
   * @default - none
   */
  readonly secretFiles?: readonly McpSecretFile[];
}

/** A credential an MCP server reads from a file in its own container. */
export interface McpSecretFile {
  /**
   * The agent's credential whose secret the file holds: the name of one of the agent's
   * `credentials` (OpenClawAgent), which then has no `upstream` and is read by the host's role
   * only, not by the broker. An AgentHost's reconciler writes the file from Secrets Manager; on
   * any other Docker host you write it (see the README).
   */
  readonly secret: string;
  /** The file's name in `/run/secrets/mcp`, such as `github-token`: no `/`, no `..`. */
  readonly file: string;
}

/** Where an MCP server's secret files are inside its container (read-only). */
export const MCP_SECRETS_DIR = '/run/secrets/mcp';

/** The host directory of an MCP server container's secret files: `/run/openclaw/<container>/secrets`. */
export function mcpSecretsHostPath(containerName: string): string {
  return `/run/openclaw/${containerName}/secrets`;
}

/** A validated server: its pin and how the image pins it. */
export interface ValidatedMcpServer {
  readonly server: McpServer;
  readonly pin: PinnedPackage;
  /** The lockfile's text when given (copied into the build context as is). */
  readonly lockfile?: string;
  readonly integrity?: string;
}

/** A server name: a tool prefix and part of Docker names. */
export const MCP_SERVER_NAME = /^[a-z0-9][a-z0-9-]{0,19}$/;

const INTEGRITY = /^sha512-[A-Za-z0-9+/]{86}==$/;

/** A secret file's name: one path segment, not `.` or `..`. */
export const MCP_SECRET_FILE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,64}$/;

/** Validates one server; throws with what was given and what to do. */
export function validateMcpServer(server: McpServer, where: string): ValidatedMcpServer {
  const what = `${where} MCP server "${server.name}"`;
  if (!MCP_SERVER_NAME.test(server.name)) {
    throw new Error(
      `${what}: the name must be lower-case letters, digits and "-" (at most 20), such as "github"`,
    );
  }
  const pin = parsePinnedPackage(server.package, what);
  if (server.integrity === undefined && server.lockfile === undefined) {
    throw new Error(
      `${what}: "${pin.spec}" has no integrity, so a tampered tarball could be built; give integrity (npm view ${pin.spec} dist.integrity) or a lockfile (npm install --package-lock-only --save-exact ${pin.spec})`,
    );
  }
  if (server.integrity !== undefined && !INTEGRITY.test(server.integrity)) {
    throw new Error(
      `${what}: integrity "${server.integrity}" is not a sha512 integrity; copy the value of npm view ${pin.spec} dist.integrity ("sha512-...==")`,
    );
  }
  for (const [key, value] of Object.entries(server.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new Error(
        `${what}: env name "${key}" is not a variable name; use one such as "LOG_LEVEL"`,
      );
    }
    if (
      SECRET_KEY.test(key) ||
      /\$\{/.test(value) ||
      findConfigProblems({ env: { [key]: value } }).some((p) => /looks like/.test(p.message))
    ) {
      throw new Error(
        `${what}: env ${key} would carry a credential in the container's environment, where docker inspect shows it; give the server its credential through the broker or as a secret file (secretFiles), and tell it the path, such as ${key}_FILE=${MCP_SECRETS_DIR}/<file>`,
      );
    }
  }
  validateMcpEgress(server, what);
  checkSecretFiles(server.secretFiles ?? [], what);
  let lockfile: string | undefined;
  if (server.lockfile !== undefined) {
    lockfile = readLockfile(server.lockfile, what);
    checkLockfile(lockfile, pin, what, server.lockfile);
  }
  return { server, pin, lockfile, integrity: server.integrity };
}

function checkSecretFiles(files: readonly McpSecretFile[], what: string): void {
  const names = new Set<string>();
  for (const f of files) {
    if (!MCP_SECRET_FILE_NAME.test(f.file)) {
      throw new Error(
        `${what}: secret file "${f.file}" must be a plain file name (letters, digits, ".", "_", "-"; no "/" and not ".."), such as "github-token"; it is placed in ${MCP_SECRETS_DIR}`,
      );
    }
    if (names.has(f.file)) {
      throw new Error(
        `${what}: secret file "${f.file}" is listed twice; give each secret file its own name`,
      );
    }
    names.add(f.file);
    if (!PROFILE_NAME.test(f.secret)) {
      throw new Error(
        `${what}: secret file "${f.file}" names secret "${f.secret}", which is not a credential name; give the name of one of the agent's credentials, such as "github"`,
      );
    }
  }
}

function readLockfile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `${what}: cannot read lockfile "${file}" (${(e as NodeJS.ErrnoException).code ?? String(e)}); give the path of a package-lock.json`,
    );
  }
}

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly inBundle?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** Throws unless `text` is a lockfile that pins exactly `pin`, with an integrity for every package. */
export function checkLockfile(text: string, pin: PinnedPackage, what: string, file: string): void {
  const fix = `make it in an empty folder with npm init -y && npm install --package-lock-only --save-exact ${pin.spec}`;
  let lock: { lockfileVersion?: number; packages?: Record<string, LockEntry> };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch {
    throw new Error(`${what}: lockfile "${file}" is not JSON; ${fix}`);
  }
  if (typeof lock.lockfileVersion !== 'number' || lock.lockfileVersion < 2 || !lock.packages) {
    throw new Error(
      `${what}: lockfile "${file}" is not a package-lock.json of lockfileVersion 2 or 3; ${fix}`,
    );
  }
  const root = lock.packages[''] ?? {};
  const deps = {
    ...(root.dependencies ?? {}),
    ...(root.devDependencies ?? {}),
    ...(root.optionalDependencies ?? {}),
  };
  if (Object.keys(deps).length !== 1 || deps[pin.name] !== pin.version) {
    throw new Error(
      `${what}: lockfile "${file}" must depend on exactly ${pin.spec} and nothing else (it lists ${JSON.stringify(deps)}); ${fix}`,
    );
  }
  const entry = lock.packages[`node_modules/${pin.name}`];
  if (entry?.version !== pin.version) {
    throw new Error(
      `${what}: lockfile "${file}" locks ${pin.name} at ${entry?.version ?? 'nothing'}, not ${pin.version}; ${fix}`,
    );
  }
  const loose = Object.entries(lock.packages)
    .filter(([location, e]) => location !== '' && !e.link && !e.inBundle)
    .filter(([, e]) => typeof e.integrity !== 'string' || !e.integrity.startsWith('sha512-'))
    .map(([location]) => location);
  if (loose.length > 0) {
    throw new Error(
      `${what}: lockfile "${file}" has no sha512 integrity for ${loose.slice(0, 3).join(', ')}${loose.length > 3 ? ` and ${loose.length - 3} more` : ''}; ${fix} from the npm registry`,
    );
  }
}
