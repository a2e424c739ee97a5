import * as fs from 'fs';
import * as path from 'path';
import { renderSeccompProfile } from '../container/seccomp-profile';
import { isIpv4 } from '../openclaw/addresses';
import { HOST_NAME } from '../core/names';
import { MCP_SECRET_FILE_NAME, MCP_SERVER_NAME } from '../mcp/mcp-server';

/**
 * The host's cloud-init user data, rendered by a pure function. It holds no secret: the tailnet
 * auth key and the gateway tokens are read at boot from Secrets Manager with the instance role.
 */

/** One agent cell on the host, as the host prepares for it. */
export interface HostCell {
  /** Container name of the gateway (its token directory is /run/openclaw/<name>/secrets). */
  readonly gateway: string;
  /** Secrets Manager id of the gateway token. */
  readonly gatewayTokenSecret: string;
  /** The cgroup slice that enforces the cell's process limit. */
  readonly slice: string;
  /** pids.max of the slice. */
  readonly maxProcesses: number;
  /** The broker's egress address (CredentialBroker egress): the only container allowed to reach the metadata service. */
  readonly brokerAddress?: string;
  /**
   * The Tailscale sidecar's state directory on the host (TailnetAccess `stateHostPath`), created
   * at boot owned by 1000:1000, mode 0700: Docker refuses a bind mount whose source is missing.
   * @default - not created
   */
  readonly sidecarStateDir?: string;
  /**
   * The cell network's subnet. New connections from it to the host itself are dropped: Docker's
   * internal networks still route to the host's own bridge address, so without this any host
   * service listening on all interfaces is reachable from the gateway.
   * @default - connections from the cell to the host are not filtered
   */
  readonly cellSubnet?: string;
  /**
   * The block of the cell's MCP server networks (`172.28.<cellIndex>.0/24`); new connections from
   * it to the host are dropped, as from the cell network.
   * @default - the cell has no MCP servers
   */
  readonly mcpSubnet?: string;
  /**
   * The cell's MCP servers' secret files: the host writes each from Secrets Manager into its
   * server's own directory (a tmpfs, 0700, the file 0400, uid 1000) and removes those no longer
   * listed.
   * @default - none
   */
  readonly mcpSecretFiles?: readonly HostMcpSecretFile[];
}

/** One MCP server's secret file, as the host writes it. */
export interface HostMcpSecretFile {
  /** The MCP server's name. */
  readonly server: string;
  /** Secrets Manager id or ARN of the secret the file holds. */
  readonly secret: string;
  /** The file's name in `dir`. */
  readonly file: string;
  /** The server's secrets directory, `/run/openclaw/<its container>/secrets`. */
  readonly dir: string;
}

export interface UserDataOptions {
  readonly region: string;
  /** Secrets Manager id of the host's own tailnet auth key (single use). */
  readonly tailnetKeySecret: string;
  readonly hostname: string;
  /** The host's tailnet tag, such as tag:openclaw-host. */
  readonly tailnetTag: string;
  /**
   * The SSM parameter the host's cells are published in (cellsParameterName): the reconciler
   * reads it at run time, so no cell is ever part of the user data.
   */
  readonly cellsParameter: string;
  /**
   * Turn Tailscale SSH on, so the deploy user (`openclaw-deploy`, in the docker group) can be
   * reached by those the tailnet policy's ssh rule names.
   * @default true
   */
  readonly tailscaleSsh?: boolean;
}

/** The host's deploy user: reachable only through Tailscale SSH, member of the docker group. */
export const DEPLOY_USER = 'openclaw-deploy';

/** Where the reconciler lives on the host, and its settings. */
export const RECONCILER_PATHS = {
  script: '/usr/local/sbin/openclaw-reconcile',
  settings: '/etc/openclaw/reconciler.json',
} as const;

/** How often the reconciler runs (systemd OnUnitActiveSec): the longest a cell change waits. */
export const RECONCILE_INTERVAL = '1min';

const IMDS = '169.254.169.254';

/** The host firewall's own INPUT chain (cells to the host). */
export const INPUT_CHAIN = 'OPENCLAW-INPUT';

/** The Docker daemon settings the host enforces for every container. */
export const DOCKER_DAEMON_CONFIG = {
  icc: false,
  'no-new-privileges': true,
  'userland-proxy': false,
  'live-restore': true,
  'log-driver': 'journald',
  'log-opts': { tag: '{{.Name}}' },
};

/** The AppArmor profile the gateway containers name (`apparmor=openclaw-gateway`). */
export function apparmorProfile(): string {
  return [
    '#include <tunables/global>',
    'profile openclaw-gateway flags=(attach_disconnected,mediate_deleted) {',
    '  #include <abstractions/base>',
    '  network inet stream,',
    '  network inet6 stream,',
    '  network unix,',
    '  file,',
    '  deny mount,',
    '  deny umount,',
    '  deny pivot_root,',
    '  deny ptrace,',
    '  deny @{PROC}/sys/kernel/** w,',
    '  deny @{PROC}/sysrq-trigger rwklx,',
    '  deny /sys/firmware/** rwklx,',
    '  deny /sys/kernel/security/** rwklx,',
    '  capability chown,',
    '  capability setuid,',
    '  capability setgid,',
    '  deny capability sys_admin,',
    '  deny capability sys_module,',
    '  deny capability net_admin,',
    '  deny capability sys_ptrace,',
    '}',
    '',
  ].join('\n');
}

/**
 * The firewall script: DOCKER-USER drops that hold for every container, whatever ran it, and an
 * INPUT chain that keeps the cells away from the host itself. Idempotent: run it at every boot
 * and whenever the cells change.
 */
export function firewallScript(cells: readonly HostCell[]): string {
  checkHostCells(cells);
  const brokers = cells.map((c) => c.brokerAddress).filter((a): a is string => a !== undefined);
  const subnets = cells
    .flatMap((c) => [c.cellSubnet, c.mcpSubnet])
    .filter((s): s is string => s !== undefined);
  for (const subnet of subnets) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(subnet)) {
      throw new Error(
        `cellSubnet "${subnet}" is not an IPv4 block; give the cell network's subnet, such as "172.30.1.0/24"`,
      );
    }
  }
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    '# Cells never open connections to the host itself (replies to the host are let through).',
    `iptables -N ${INPUT_CHAIN} 2>/dev/null || true`,
    `iptables -F ${INPUT_CHAIN}`,
    `iptables -C INPUT -j ${INPUT_CHAIN} 2>/dev/null || iptables -I INPUT 1 -j ${INPUT_CHAIN}`,
    `iptables -A ${INPUT_CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN`,
    ...subnets.map((s) => `iptables -A ${INPUT_CHAIN} -s ${s} -j DROP`),
    `iptables -A ${INPUT_CHAIN} -j RETURN`,
    '# Containers never reach the gateway port from outside, and only brokers reach the metadata service.',
    'iptables -N DOCKER-USER 2>/dev/null || true',
    'iptables -F DOCKER-USER',
    // from any interface but the cell bridges (br-*), nothing reaches a container on 18789
    'iptables -A DOCKER-USER -p tcp --dport 18789 ! -i br-+ -j DROP',
    ...brokers.map(
      (b) => `iptables -A DOCKER-USER -s ${shellWord(b)} -d ${IMDS} -p tcp --dport 80 -j RETURN`,
    ),
    `iptables -A DOCKER-USER -d ${IMDS} -j DROP`,
    'iptables -A DOCKER-USER -j RETURN',
    '',
  ].join('\n');
}

/**
 * The reconciler (runtime/host/openclaw-reconcile, Python 3): reads the cells parameter, makes
 * slices, state directories and token files, renders the firewall, removes departed cells,
 * applies rotated gateway tokens, and joins the tailnet once the host's key has a value.
 */
export function reconcilerScript(): string {
  return fs.readFileSync(path.join(runtimeDir(), 'host', 'openclaw-reconcile'), 'utf8');
}

/** The reconciler's settings on the host: nothing in them depends on the cells. */
export function reconcilerSettings(options: UserDataOptions): Record<string, unknown> {
  return {
    region: options.region,
    parameter: options.cellsParameter,
    tailnet: {
      keySecret: options.tailnetKeySecret,
      hostname: options.hostname,
      tag: options.tailnetTag,
      ssh: options.tailscaleSsh ?? true,
    },
  };
}

/** The package's runtime folder (code that runs on the host and in AWS, shipped as is). */
export function runtimeDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (
      fs.existsSync(path.join(dir, 'runtime', 'host', 'openclaw-reconcile')) &&
      fs.existsSync(path.join(dir, 'package.json'))
    ) {
      return path.join(dir, 'runtime');
    }
  }
  throw new Error('cannot find the runtime folder of cdktf-openclaw; reinstall the package');
}

/** The installation script: Docker Engine and Tailscale from their package repositories. */
export function installScript(options: UserDataOptions): string {
  void options;
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    '. /etc/os-release',
    'install -d -m 0755 /etc/apt/keyrings',
    'curl -fsSL "https://download.docker.com/linux/${ID}/gpg" -o /etc/apt/keyrings/docker.asc',
    'echo "deb [signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/${ID} ${VERSION_CODENAME} stable" > /etc/apt/sources.list.d/docker.list',
    'curl -fsSL "https://pkgs.tailscale.com/stable/${ID}/${VERSION_CODENAME}.noarmor.gpg" -o /etc/apt/keyrings/tailscale.gpg',
    'echo "deb [signed-by=/etc/apt/keyrings/tailscale.gpg] https://pkgs.tailscale.com/stable/${ID} ${VERSION_CODENAME} main" > /etc/apt/sources.list.d/tailscale.list',
    'apt-get update',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y docker-ce docker-ce-cli containerd.io tailscale',
    'systemctl enable --now docker tailscaled',
    'apparmor_parser -r -W /etc/apparmor.d/openclaw-gateway',
    // no password, no key: reachable only through Tailscale SSH, as the tailnet policy allows
    `id -u ${DEPLOY_USER} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups docker ${DEPLOY_USER}`,
    'systemctl daemon-reload',
    '/usr/local/sbin/openclaw-firewall',
    'systemctl enable --now openclaw-reconcile.timer',
    'systemctl start openclaw-reconcile.service || true',
    '',
  ].join('\n');
}

/**
 * The whole user data: a #cloud-config document that names no cell (the reconciler reads them
 * from the cells parameter), so adding, removing or changing an agent never changes it.
 */
export function renderUserData(options: UserDataOptions): string {
  validate(options);
  const files: { path: string; permissions: string; content: string }[] = [
    {
      path: '/etc/docker/daemon.json',
      permissions: '0644',
      content: `${JSON.stringify(DOCKER_DAEMON_CONFIG, null, 2)}\n`,
    },
    {
      path: '/etc/openclaw/seccomp.json',
      permissions: '0644',
      content: `${JSON.stringify(renderSeccompProfile())}\n`,
    },
    { path: '/etc/apparmor.d/openclaw-gateway', permissions: '0644', content: apparmorProfile() },
    {
      path: '/etc/apt/apt.conf.d/20auto-upgrades',
      permissions: '0644',
      content: 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n',
    },
    {
      // the rules that hold with no cell at all, from boot until the reconciler's first run
      path: '/usr/local/sbin/openclaw-firewall',
      permissions: '0755',
      content: firewallScript([]),
    },
    {
      path: RECONCILER_PATHS.settings,
      permissions: '0644',
      content: `${JSON.stringify(reconcilerSettings(options), null, 2)}\n`,
    },
    { path: RECONCILER_PATHS.script, permissions: '0700', content: reconcilerScript() },
    {
      path: '/usr/local/sbin/openclaw-install',
      permissions: '0700',
      content: installScript(options),
    },
    {
      path: '/etc/systemd/system/openclaw-boot.service',
      permissions: '0644',
      content:
        '[Unit]\nDescription=OpenClaw host: the base firewall at every boot, before any container starts\nBefore=docker.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/openclaw-firewall\n\n[Install]\nWantedBy=multi-user.target\n',
    },
    {
      path: '/etc/systemd/system/openclaw-reconcile.service',
      permissions: '0644',
      content: `[Unit]\nDescription=OpenClaw host: match the published cells (slices, state, tokens, firewall)\nAfter=docker.service tailscaled.service openclaw-boot.service network-online.target\nWants=network-online.target\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/python3 ${RECONCILER_PATHS.script}\n\n[Install]\nWantedBy=multi-user.target\n`,
    },
    {
      path: '/etc/systemd/system/openclaw-reconcile.timer',
      permissions: '0644',
      content: `[Unit]\nDescription=OpenClaw host: reconcile the cells every ${RECONCILE_INTERVAL}\n\n[Timer]\nOnBootSec=30s\nOnUnitActiveSec=${RECONCILE_INTERVAL}\n\n[Install]\nWantedBy=timers.target\n`,
    },
  ];
  const doc = {
    package_update: true,
    package_upgrade: true,
    packages: [
      'ca-certificates',
      'curl',
      'gnupg',
      'apparmor',
      'apparmor-utils',
      'awscli',
      'python3',
      'unattended-upgrades',
      'iptables',
    ],
    write_files: files,
    runcmd: [
      ['/usr/local/sbin/openclaw-install'],
      ['systemctl', 'enable', 'openclaw-boot.service', 'openclaw-reconcile.service'],
    ],
  };
  // JSON is valid YAML; a cloud-config document is YAML after its header line
  return `#cloud-config\n${JSON.stringify(doc, null, 2)}\n`;
}

function validate(options: UserDataOptions): void {
  if (!HOST_NAME.test(options.hostname))
    throw new Error(`host name "${options.hostname}" must be lower-case letters, digits and "-"`);
  if (!/^tag:[a-z0-9-]+$/.test(options.tailnetTag))
    throw new Error(`tailnet tag "${options.tailnetTag}" must look like "tag:openclaw-host"`);
  if (!/^\/[A-Za-z0-9_.\/-]+$/.test(options.cellsParameter))
    throw new Error(
      `cellsParameter "${options.cellsParameter}" is not an SSM parameter name; give cellsParameterName(host, namePrefix), such as "/openclaw/hosts/openclaw-host-1/cells"`,
    );
}

/**
 * Refuses a cell the host could not prepare safely (the reconciler applies the same checks on
 * the host, where the parameter is read). cellsDocument and firewallScript call it.
 */
export function checkHostCells(cells: readonly HostCell[]): void {
  const seen = new Set<string>();
  for (const c of cells) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(c.gateway))
      throw new Error(`gateway "${c.gateway}" is not a container name`);
    if (seen.has(c.gateway))
      throw new Error(`gateway "${c.gateway}" is listed twice; list each cell once`);
    seen.add(c.gateway);
    if (c.brokerAddress !== undefined && !isIpv4(c.brokerAddress)) {
      throw new Error(
        `brokerAddress "${c.brokerAddress}" is not an IPv4 address; give the broker's egress address, such as "172.31.0.2"`,
      );
    }
    if (!Number.isInteger(c.maxProcesses) || c.maxProcesses < 32 || c.maxProcesses > 4096) {
      throw new Error(`maxProcesses ${c.maxProcesses} is outside 32-4096`);
    }
    if (!/^[a-zA-Z0-9_.@-]+\.slice$/.test(c.slice))
      throw new Error(`slice "${c.slice}" must end in ".slice"`);
    if (!/^[A-Za-z0-9/_+=.@:-]+$/.test(c.gatewayTokenSecret))
      throw new Error(
        `gatewayTokenSecret "${c.gatewayTokenSecret}" is not a secret id or ARN, such as "openclaw/research/gateway-token"`,
      );
    checkMcpSecretFiles(c, cells);
    if (
      c.sidecarStateDir !== undefined &&
      (!/^\/var\/lib\/openclaw\/[A-Za-z0-9._/-]+$/.test(c.sidecarStateDir) ||
        c.sidecarStateDir.includes('..'))
    ) {
      throw new Error(
        `sidecarStateDir "${c.sidecarStateDir}" must be a directory under /var/lib/openclaw/, such as "/var/lib/openclaw/openclaw-research/tailscale"`,
      );
    }
  }
}

/** An MCP server's secrets directory: `/run/openclaw/<container>/secrets`. */
const MCP_SECRETS_DIR = /^\/run\/openclaw\/([a-zA-Z0-9][a-zA-Z0-9_.-]*)\/secrets$/;

function checkMcpSecretFiles(c: HostCell, cells: readonly HostCell[]): void {
  const paths = new Set<string>();
  for (const f of c.mcpSecretFiles ?? []) {
    const where = `cell ${c.gateway}: MCP server "${f.server}" secret file "${f.file}"`;
    const owner = MCP_SECRETS_DIR.exec(f.dir)?.[1];
    if (!MCP_SERVER_NAME.test(f.server))
      throw new Error(`${where}: the server name is not an MCP server name, such as "github"`);
    if (owner === undefined || owner.includes('..') || !owner.endsWith(`-mcp-${f.server}`))
      throw new Error(
        `${where}: dir "${f.dir}" is not that server's secrets directory, "/run/openclaw/<prefix>openclaw-<agent>-mcp-${f.server}/secrets"`,
      );
    if (cells.some((other) => other.gateway === owner))
      throw new Error(`${where}: dir "${f.dir}" is a gateway's; an MCP secret never goes there`);
    if (!MCP_SECRET_FILE_NAME.test(f.file))
      throw new Error(`${where}: the file must be a plain file name, without "/" or ".."`);
    if (!/^[A-Za-z0-9/_+=.@:-]+$/.test(f.secret))
      throw new Error(`${where}: secret "${f.secret}" is not a secret id or ARN`);
    const at = `${f.dir}/${f.file}`;
    if (paths.has(at)) throw new Error(`${where}: ${at} is listed twice; list each file once`);
    paths.add(at);
  }
}

/** Quotes a word for bash. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
