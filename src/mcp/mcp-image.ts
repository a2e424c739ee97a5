/**
 * The Docker build context of one MCP server's image: the stdio-to-HTTP bridge (this package's
 * `mcp-bridge/`, its dependencies locked with integrity) and the server package, pinned by its
 * lockfile (`npm ci`) or by its tarball's integrity (checked before it is installed).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { packageFolder } from '../core/package-folder';
import { BROKER_NODE_VERSION } from '../openclaw/release';
import { ValidatedMcpServer } from './mcp-server';

/** The port the bridge serves streamable HTTP on, at `/mcp`. */
export const MCP_BRIDGE_PORT = 8808;

/** Where the server's state lives inside its container (its own volume). */
export const MCP_STATE_DIR = '/data';

const BRIDGE_FILES = ['bridge.mjs', 'package.json', 'package-lock.json'];

/** The bridge folder (this package's `mcp-bridge/`), from source or from dist. */
export function mcpBridgeDir(): string {
  return packageFolder('mcp-bridge', 'bridge.mjs');
}

const NPM_FLAGS = '--ignore-scripts --omit=dev --no-audit --no-fund';

/** The files of the build context, by relative path. */
export function mcpBuildFiles(v: ValidatedMcpServer): Record<string, string> {
  const bridgeDir = mcpBridgeDir();
  const files: Record<string, string> = {};
  for (const f of BRIDGE_FILES)
    files[`bridge/${f}`] = fs.readFileSync(path.join(bridgeDir, f), 'utf8');
  files['server.json'] = `${JSON.stringify(
    {
      name: v.server.name,
      package: v.pin.spec,
      packageName: v.pin.name,
      ...(v.server.bin ? { bin: v.server.bin } : {}),
      args: [...(v.server.args ?? [])],
    },
    null,
    2,
  )}\n`;
  const install: string[] = [];
  if (v.lockfile !== undefined) {
    files['server/package.json'] = `${JSON.stringify(
      {
        name: `openclaw-mcp-${v.server.name}`,
        private: true,
        dependencies: { [v.pin.name]: v.pin.version },
      },
      null,
      2,
    )}\n`;
    files['server/package-lock.json'] = v.lockfile;
    install.push('COPY server/ ./', `RUN npm ci ${NPM_FLAGS}`);
  } else {
    // npm pack downloads the tarball; it is installed only when its sha512 is the given one
    const verify =
      "const [f,want]=process.argv.slice(1);const got='sha512-'+require('crypto').createHash('sha512').update(require('fs').readFileSync(f)).digest('base64');if(got!==want){console.error('integrity mismatch for '+f+': got '+got+', pinned '+want);process.exit(1)}";
    install.push(
      `RUN set -eu; npm init -y > /dev/null; \\
    tarball="$(npm pack --silent --pack-destination /tmp ${v.pin.spec} | tail -n 1)"; \\
    node -e "${verify}" "/tmp/$tarball" '${v.integrity!}'; \\
    npm install ${NPM_FLAGS} --save-exact "/tmp/$tarball"; rm -f "/tmp/$tarball"`,
    );
  }
  files.Dockerfile = [
    `# MCP server "${v.server.name}": ${v.pin.spec}, bridged from stdio to streamable HTTP.`,
    '# Built on the Docker host by McpServerContainer (cdktf-openclaw); the npm registry is reached only here.',
    `FROM node:${BROKER_NODE_VERSION}-bookworm-slim`,
    'WORKDIR /bridge',
    'COPY bridge/package.json bridge/package-lock.json ./',
    `RUN npm ci ${NPM_FLAGS}`,
    'COPY bridge/bridge.mjs server.json ./',
    'WORKDIR /app',
    ...install,
    `RUN set -eu; rm -rf /root/.npm /tmp/*; install -d -m 0700 -o 1000 -g 1000 ${MCP_STATE_DIR}; \\
    node /bridge/bridge.mjs --check`,
    'USER 1000:1000',
    'ENV NODE_ENV=production',
    `EXPOSE ${MCP_BRIDGE_PORT}`,
    'ENTRYPOINT ["node", "/bridge/bridge.mjs"]',
    '',
  ].join('\n');
  return files;
}

/** sha256 over the context's paths and contents. */
export function mcpBuildHash(files: Record<string, string>): string {
  const hash = crypto.createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name]}\0`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The build context as a cdktf asset of the stack (`assets/openclaw-mcp-<hash>/...`), staged in
 * the app's own output folder, so the synthesized JSON holds a stack-relative path only.
 */
export function mcpBuildContext(scope: Construct, files: Record<string, string>): string {
  const stack = TerraformStack.of(scope);
  const hash = mcpBuildHash(files);
  const id = `openclaw-mcp-${hash.slice(0, 12)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof TerraformAsset) return existing.path;
  const dir = path.resolve(App.of(stack).outdir, '.staging', `${id}-${hash}`);
  if (!fs.existsSync(path.join(dir, 'Dockerfile'))) {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  }
  return new TerraformAsset(stack, id, { path: dir, type: AssetType.DIRECTORY, assetHash: hash })
    .path;
}
