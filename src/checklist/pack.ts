import { ResourceRule, StackRule } from './model';
import { RuleScope } from './scope';
import { apparmorProfile } from './rules/apparmor-profile';
import { bindMountsReadOnly } from './rules/bind-mounts-read-only';
import { bindMountsSafe } from './rules/bind-mounts-safe';
import { brokeredCredentials } from './rules/brokered-credentials';
import { capabilitiesDropped } from './rules/capabilities-dropped';
import { configAudit } from './rules/config-audit';
import { configExposure } from './rules/config-exposure';
import { configMdns } from './rules/config-mdns';
import { configPinned } from './rules/config-pinned';
import { configSecrets } from './rules/config-secrets';
import { configShell } from './rules/config-shell';
import { configTrustedProxies } from './rules/config-trusted-proxies';
import { configUpdate } from './rules/config-update';
import { containerBonjourOff } from './rules/container-bonjour-off';
import { containerLogging } from './rules/container-logging';
import { gatewayNoEgress } from './rules/gateway-no-egress';
import { mcpNoDirectEgress } from './rules/mcp-no-direct-egress';
import { mcpOwnContainer } from './rules/mcp-own-container';
import { mcpSecretMounts } from './rules/mcp-secret-mounts';
import { gatewayPortNotOpen } from './rules/gateway-port-not-open';
import { gatewayPortNotPublished } from './rules/gateway-port-not-published';
import { iamLeastPrivilege } from './rules/iam-least-privilege';
import { imageDigest } from './rules/image-digest';
import { imageVersionTag } from './rules/image-version-tag';
import { kmsKeyRotation } from './rules/kms-key-rotation';
import { logGroupRetentionKms } from './rules/log-group-retention-kms';
import { minimalScopes } from './rules/minimal-scopes';
import { monthlyReview } from './rules/monthly-review';
import { noSharedCredentials } from './rules/no-shared-credentials';
import { noShellWithPersonalData } from './rules/no-shell-with-personal-data';
import { naclGatewayPort } from './rules/nacl-gateway-port';
import { noDockerSocket } from './rules/no-docker-socket';
import { noNewPrivileges } from './rules/no-new-privileges';
import { nodeImagePatched } from './rules/node-image-patched';
import { noPublicIngress } from './rules/no-public-ingress';
import { noSecretsInContainerEnv } from './rules/no-secrets-in-container-env';
import { noSecretsInUserData } from './rules/no-secrets-in-user-data';
import { nonRootUser } from './rules/non-root-user';
import { notPrivileged } from './rules/not-privileged';
import { processLimit } from './rules/process-limit';
import { readOnlyRoot } from './rules/read-only-root';
import { resourceLimits } from './rules/resource-limits';
import { runtimePatched } from './rules/runtime-patched';
import { seccompProfile } from './rules/seccomp-profile';
import { serveNoFunnel } from './rules/serve-no-funnel';
import { secretEncryptedWithCmk } from './rules/secret-encrypted-with-cmk';
import { secretRotation } from './rules/secret-rotation';
import { secretValueNotInState } from './rules/secret-value-not-in-state';
import { separateCells } from './rules/separate-cells';
import { tailnetKeySingleUse } from './rules/tailnet-key-single-use';
import { tailnetPolicy } from './rules/tailnet-policy';
import { tmpfsNoexec } from './rules/tmpfs-noexec';
import { trailValidation } from './rules/trail-validation';
import { instanceImdsv2 } from './rules/instance-imdsv2';
import { instancePrivate } from './rules/instance-private';
import { volumesEncrypted } from './rules/volumes-encrypted';
import { trustedProxiesMatchProxy } from './rules/trusted-proxies-match-proxy';

/** Error findings fail `cdktf synth` and the audit command; warnings are reported. */
export type Severity = 'error' | 'warning';

/** One rule of the pack: its stable id, checklist item, severity, text and check. */
export interface ChecklistRule {
  /** Stable id, `OC<item>-<Name>`. Ids are API: suppressions name them. */
  readonly id: string;
  /** The hardening-checklist item (1-16) it enforces. */
  readonly item: number;
  readonly severity: Severity;
  /** What the rule requires. */
  readonly title: string;
  /** What to do when it fails. */
  readonly remedy: string;
  /** The check, over one resource or over the whole stack. */
  readonly check: { readonly resource: ResourceRule } | { readonly stack: StackRule };
  /** What the rule applies to (the scopes are described in the README, "The security checklist"); outside it the rule is not applicable. */
  readonly appliesTo: RuleScope;
  /**
   * False for the few things the library promises never happen: a suppression of such a rule is
   * refused, and its findings always count.
   */
  readonly suppressible: boolean;
}

/** The 16 items of the hardening checklist, as the report names them. */
export const CHECKLIST_ITEMS: Readonly<Record<number, string>> = {
  1: 'Gateway never exposed to the public internet; 18789 never published or opened',
  2: 'trustedProxies = exactly the proxy in front of the gateway',
  3: 'mDNS/Bonjour off',
  4: 'No direct network egress for the agent',
  5: 'All capabilities dropped, no-new-privileges, seccomp and AppArmor',
  6: 'Non-root user, read-only root, small noexec tmpfs, memory/cpu/pids limits',
  7: 'Explicit, minimal, read-only bind mounts',
  8: 'Shell tool: allowlist, never denylist; human approval',
  9: 'Tokens and grants scoped to minimum',
  10: 'Separate agents per risk profile',
  11: 'Credentials in Secrets Manager (KMS), never plaintext, never in state, rotated',
  12: 'Brokered credentials: the gateway never holds real provider keys',
  13: 'MCP servers, plugins and images allowlisted and pinned',
  14: 'Audit logging of everything',
  15: 'Runtime patched',
  16: 'Monthly security review scheduled',
};

/** Makes the pack's rule constructors: one for resource rules, one for stack rules. */
const define =
  <C>(wrap: (check: C) => ChecklistRule['check']) =>
  (
    id: string,
    item: number,
    severity: Severity,
    title: string,
    remedy: string,
    check: C,
  ): ChecklistRule => ({ id, item, severity, title, remedy, check: wrap(check), ...placement(id) });

const rule = define((resource: ResourceRule) => ({ resource }));
const stackRule = define((stack: StackRule) => ({ stack }));

/**
 * What each rule applies to, by rule id (see {@link RuleScope}; the README's rule table shows it).
 * A rule missing here applies everywhere, and a test fails until it gets its line.
 */
export const RULE_SCOPES: Readonly<Record<string, RuleScope>> = {
  'OC01-GatewayPortNotPublished': 'cell',
  'OC01-GatewayPortNotOpen': 'everywhere',
  'OC01-NoPublicIngress': 'reach',
  'OC01-NaclGatewayPort': 'everywhere',
  'OC01-InstancePrivate': 'host',
  'OC01-ConfigExposure': 'config',
  'OC01-TailnetPolicy': 'everywhere',
  'OC01-ServeNoFunnel': 'everywhere',
  'OC02-TrustedProxiesExact': 'config',
  'OC02-TrustedProxiesMatchProxy': 'cell',
  'OC03-MdnsOff': 'config',
  'OC03-ContainerBonjourOff': 'cell',
  'OC04-GatewayNoEgress': 'cell',
  'OC04-McpNoDirectEgress': 'cell',
  'OC13-McpOwnContainer': 'config',
  'OC05-CapabilitiesDropped': 'cell',
  'OC05-NoNewPrivileges': 'cell',
  'OC05-SeccompProfile': 'cell',
  'OC05-AppArmorProfile': 'cell',
  'OC05-NotPrivileged': 'cell',
  'OC06-NonRootUser': 'cell',
  'OC06-ReadOnlyRoot': 'cell',
  'OC06-TmpfsNoexec': 'cell',
  'OC06-ResourceLimits': 'cell',
  'OC06-ProcessLimit': 'cell',
  'OC07-NoDockerSocket': 'cell',
  'OC07-BindMountsSafe': 'cell',
  'OC07-BindMountsReadOnly': 'cell',
  'OC07-McpSecretsOwnContainer': 'everywhere',
  'OC08-ShellAllowlistApproval': 'config',
  'OC09-IamLeastPrivilege': 'identity',
  'OC09-MinimalScopes': 'credential',
  'OC10-SeparateCells': 'cell',
  'OC10-NoSharedCredentials': 'everywhere',
  'OC10-NoShellWithPersonalData': 'cell',
  'OC11-SecretValueNotInState': 'credential',
  'OC11-SecretEncryptedWithCmk': 'credential',
  'OC11-KmsKeyRotation': 'credential',
  'OC11-SecretRotation': 'credential',
  'OC11-InstanceImdsv2': 'host',
  'OC11-VolumesEncrypted': 'host',
  'OC11-NoLiteralSecretsInConfig': 'config',
  'OC11-NoSecretsInContainerEnv': 'cell',
  'OC11-NoSecretsInUserData': 'host',
  'OC11-TailnetKeySingleUse': 'everywhere',
  'OC12-BrokeredCredentials': 'cell',
  'OC13-ImageVersionTag': 'cell',
  'OC13-ImageDigest': 'cell',
  'OC13-McpPluginsPinned': 'config',
  'OC14-AuditLogging': 'config',
  'OC14-LogGroupRetentionKms': 'credential',
  'OC14-TrailValidation': 'everywhere',
  'OC14-ContainerLogging': 'cell',
  'OC15-RuntimePatched': 'cell',
  'OC15-NoSelfUpdate': 'config',
  'OC16-MonthlyReview': 'everywhere',
};

/**
 * Rules whose findings can never be suppressed: what the README promises never happens (18789
 * published beyond loopback or opened to the internet, privileged containers and host
 * namespaces, the Docker socket mounted).
 */
export const NEVER_SUPPRESSIBLE: readonly string[] = [
  'OC01-GatewayPortNotPublished',
  'OC01-GatewayPortNotOpen',
  'OC01-NaclGatewayPort',
  'OC01-ServeNoFunnel',
  'OC05-NotPrivileged',
  'OC07-NoDockerSocket',
];

function placement(id: string): { appliesTo: RuleScope; suppressible: boolean } {
  return {
    appliesTo: RULE_SCOPES[id] ?? 'everywhere',
    suppressible: !NEVER_SUPPRESSIBLE.includes(id),
  };
}

/** The pack, in checklist order. */
export const OPENCLAW_CHECKLIST_RULES: readonly ChecklistRule[] = [
  rule(
    'OC01-GatewayPortNotPublished',
    1,
    'error',
    'No container publishes 18789 or publishes anything beyond the host loopback',
    'Remove the port mapping; reach the gateway over the tailnet through the Serve sidecar (HardenedContainer never publishes 18789).',
    gatewayPortNotPublished,
  ),
  rule(
    'OC01-NoPublicIngress',
    1,
    'error',
    'Security groups admit nothing from 0.0.0.0/0 or ::/0 and nothing on 18789',
    'Delete the ingress rule; use SSM Session Manager for the host and the tailnet for the gateway.',
    noPublicIngress,
  ),
  rule(
    'OC01-GatewayPortNotOpen',
    1,
    'error',
    'No security group opens 18789 to the internet (never suppressible)',
    'Delete the rule; the gateway is reached over the tailnet through the Serve sidecar only.',
    gatewayPortNotOpen,
  ),
  stackRule(
    'OC01-NaclGatewayPort',
    1,
    'error',
    'Network ACLs do not allow inbound 18789 from the internet',
    'Add a deny entry for 18789 from 0.0.0.0/0 and ::/0 before any allow entry.',
    naclGatewayPort,
  ),
  rule(
    'OC01-InstancePrivate',
    1,
    'error',
    'Hosts have no public IP and no SSH key pair',
    'Set associate_public_ip_address = false (assign_public_ip = false on an ECS service), remove key_name, and use SSM Session Manager (AgentHost does).',
    instancePrivate,
  ),
  rule(
    'OC01-ConfigExposure',
    1,
    'error',
    'The gateway config binds only where needed, requires auth and publishes nothing',
    'Render the config with renderOpenClawConfig / GatewayConfig and its typed props.',
    configExposure,
  ),
  rule(
    'OC01-TailnetPolicy',
    1,
    'error',
    'The tailnet grants agent tags tcp:443 only, no agent-to-agent path, no Funnel',
    'Grant groups to tag:openclaw-<profile> on "tcp:443" only and remove funnel node attributes.',
    tailnetPolicy,
  ),
  rule(
    'OC01-ServeNoFunnel',
    1,
    'error',
    'No Tailscale Serve config or command turns Funnel on (never suppressible)',
    'Remove AllowFunnel and --funnel; Serve on the tailnet only (TailnetAccess does).',
    serveNoFunnel,
  ),
  rule(
    'OC02-TrustedProxiesExact',
    2,
    'error',
    'trustedProxies lists exactly the proxy in front of the gateway',
    "List the Serve sidecar's address as a single host (/32), or set dangerouslyAllowBroadTrustedProxies with a reason.",
    configTrustedProxies,
  ),
  rule(
    'OC02-TrustedProxiesMatchProxy',
    2,
    'error',
    'A gateway behind a Tailscale sidecar trusts exactly that sidecar',
    'Pass the TailnetAccess as servedBy to HardenedContainer, which sets trustedProxies to the sidecar /32.',
    trustedProxiesMatchProxy,
  ),
  rule(
    'OC03-MdnsOff',
    3,
    'error',
    'discovery.mdns.mode is "off"',
    'Set discovery.mdns.mode to "off" (the renderer does).',
    configMdns,
  ),
  rule(
    'OC03-ContainerBonjourOff',
    3,
    'error',
    'Gateway containers run with OPENCLAW_DISABLE_BONJOUR=1',
    'Add OPENCLAW_DISABLE_BONJOUR=1 to the gateway container environment.',
    containerBonjourOff,
  ),
  rule(
    'OC04-GatewayNoEgress',
    4,
    'error',
    'Gateway containers join only internal networks',
    'Put the gateway on a CellNetwork (internal, no NAT); only the credential broker gets an egress network.',
    gatewayNoEgress,
  ),
  rule(
    'OC04-McpNoDirectEgress',
    4,
    'error',
    'MCP servers have no route out; their network holds their gateway and their own broker listener',
    "Run each server with McpServerContainer (OpenClawAgent mcpServers): its own internal network, shared with the gateway only; declare what it reaches in its egress and upstreams, which the agent's broker serves on a listener of that server alone.",
    mcpNoDirectEgress,
  ),
  rule(
    'OC05-CapabilitiesDropped',
    5,
    'error',
    'Containers drop ALL capabilities and add none',
    'Set capabilities { drop = ["ALL"] } and remove add.',
    capabilitiesDropped,
  ),
  rule(
    'OC05-NoNewPrivileges',
    5,
    'error',
    'Containers set no-new-privileges',
    'Add "no-new-privileges:true" to security_opts.',
    noNewPrivileges,
  ),
  rule(
    'OC05-SeccompProfile',
    5,
    'error',
    'Containers run a custom seccomp profile',
    'Add "seccomp=<profile JSON>" to security_opts (seccompProfileJson() gives the library profile).',
    seccompProfile,
  ),
  rule(
    'OC05-AppArmorProfile',
    5,
    'warning',
    'Containers name an AppArmor profile',
    'Add "apparmor=docker-default" or a profile loaded on the host to security_opts.',
    apparmorProfile,
  ),
  rule(
    'OC05-NotPrivileged',
    5,
    'error',
    'Containers are not privileged and share no host namespace or device',
    'Remove privileged, host network/pid/ipc/userns modes and devices.',
    notPrivileged,
  ),
  rule(
    'OC06-NonRootUser',
    6,
    'error',
    'Containers run as a numeric non-root uid:gid',
    'Set user = "1000:1000".',
    nonRootUser,
  ),
  rule(
    'OC06-ReadOnlyRoot',
    6,
    'error',
    'Containers have a read-only root filesystem',
    'Set read_only = true and give writable paths a volume or tmpfs.',
    readOnlyRoot,
  ),
  rule(
    'OC06-TmpfsNoexec',
    6,
    'warning',
    'tmpfs mounts are noexec,nosuid and /tmp is at most 100 MiB',
    'Use tmpfs { "/tmp" = "rw,noexec,nosuid,size=100m" }.',
    tmpfsNoexec,
  ),
  rule(
    'OC06-ResourceLimits',
    6,
    'error',
    'Containers have memory (swap equal to memory) and CPU limits',
    'Set memory, memory_swap equal to memory, and cpu_period with cpu_quota (the docker provider 3.6.2 panics on cpus).',
    resourceLimits,
  ),
  rule(
    'OC06-ProcessLimit',
    6,
    'warning',
    'The container process limit is enforced',
    'Set cgroup_parent (HardenedContainer processLimitSlice) to a slice whose pids.max the host sets; AgentHost creates it.',
    processLimit,
  ),
  rule(
    'OC07-NoDockerSocket',
    7,
    'error',
    'No container mounts the Docker (or another runtime) socket (never suppressible)',
    'Remove the mount; an agent that needs containers gets them from a separate, dedicated host.',
    noDockerSocket,
  ),
  rule(
    'OC07-BindMountsSafe',
    7,
    'error',
    'No bind mount of host roots, homes, /etc, /proc, /sys, /dev, /run, runtime sockets or credentials',
    'Mount only a dedicated directory the agent needs, such as /srv/openclaw/<agent>/workspace.',
    bindMountsSafe,
  ),
  rule(
    'OC07-BindMountsReadOnly',
    7,
    'warning',
    'Bind mounts are read-only',
    'Set read_only = true, or mark the mount dangerouslyWritable with a reason.',
    bindMountsReadOnly,
  ),
  rule(
    'OC07-McpSecretsOwnContainer',
    7,
    'error',
    "An MCP server's secret files are mounted read-only into that server's container only",
    "Give the credential with McpServer secretFiles: only that server's container mounts /run/openclaw/<its container>/secrets, read-only; remove the mount from every other container (the gateway never holds it).",
    mcpSecretMounts,
  ),
  rule(
    'OC08-ShellAllowlistApproval',
    8,
    'error',
    'Shell only from an allowlist with human approval; tools minimal in every scope',
    'Use shell: { mode: "allowlist", commands: [...] } (ask always) or keep exec denied.',
    configShell,
  ),
  rule(
    'OC09-IamLeastPrivilege',
    9,
    'error',
    'IAM grants name exact actions and ARNs for secrets, keys and parameters',
    'Replace wildcards with the exact actions and the exact secret and key ARNs.',
    iamLeastPrivilege,
  ),
  rule(
    'OC09-MinimalScopes',
    9,
    'error',
    'OAuth tokens carry the narrowest scopes that do the job (read-only where possible)',
    'Issue the token with the narrower scope named in the finding (gmail.readonly, calendar.readonly, public_repo); widen one agent on purpose with dangerouslyWidenScopes and a reason.',
    minimalScopes,
  ),
  stackRule(
    'OC10-SeparateCells',
    10,
    'error',
    'Each gateway has its own network, state volume and credentials',
    'Give each risk profile its own cell: CellNetwork, HardenedContainer and secrets.',
    separateCells,
  ),
  stackRule(
    'OC10-NoSharedCredentials',
    10,
    'error',
    'No credential is read by two agents',
    'Give each agent its own credential and its own broker role (AgentFleet refuses a credential attached to two agents).',
    noSharedCredentials,
  ),
  stackRule(
    'OC10-NoShellWithPersonalData',
    10,
    'error',
    'An agent with a shell holds no mail, calendar or chat credentials',
    'Split the agent: RiskProfile.shell() for commands, RiskProfile.calendarAndMail() or messaging() for personal data, each in its own cell.',
    noShellWithPersonalData,
  ),
  rule(
    'OC11-SecretValueNotInState',
    11,
    'error',
    'Terraform writes no secret value (none in state)',
    'Remove secret_string/secret_binary; put the value with `aws secretsmanager put-secret-value` outside Terraform.',
    secretValueNotInState,
  ),
  rule(
    'OC11-SecretEncryptedWithCmk',
    11,
    'error',
    'Secrets are encrypted with a customer-managed KMS key',
    "Set kms_key_id to the agent's own key.",
    secretEncryptedWithCmk,
  ),
  rule(
    'OC11-KmsKeyRotation',
    11,
    'error',
    'KMS keys rotate',
    'Set enable_key_rotation = true.',
    kmsKeyRotation,
  ),
  stackRule(
    'OC11-SecretRotation',
    11,
    'warning',
    'Every secret has a rotation schedule',
    'Add aws_secretsmanager_secret_rotation; for a kind that cannot rotate, suppress with the reason.',
    secretRotation,
  ),
  rule(
    'OC11-InstanceImdsv2',
    11,
    'error',
    'The metadata service requires IMDSv2 and stops at two hops',
    'Set metadata_options { http_tokens = "required", http_put_response_hop_limit = 2 } and let the host firewall pass only the broker.',
    instanceImdsv2,
  ),
  rule(
    'OC11-VolumesEncrypted',
    11,
    'error',
    'Host volumes are encrypted with a customer-managed key',
    'Set encrypted = true and kms_key_id on every volume.',
    volumesEncrypted,
  ),
  rule(
    'OC11-NoLiteralSecretsInConfig',
    11,
    'error',
    'No literal secret in an OpenClaw config',
    'Use SecretRefs (OpenClawSecret.fromFile) or ${ENV} references.',
    configSecrets,
  ),
  rule(
    'OC11-NoSecretsInContainerEnv',
    11,
    'error',
    'No secret in a container environment (docker inspect shows it)',
    'Mount the secret as a read-only file and reference it.',
    noSecretsInContainerEnv,
  ),
  rule(
    'OC11-NoSecretsInUserData',
    11,
    'error',
    'No secret in instance user data',
    'Read secrets at boot from Secrets Manager with the instance role.',
    noSecretsInUserData,
  ),
  rule(
    'OC11-TailnetKeySingleUse',
    11,
    'error',
    'Tailnet auth keys are single use, tagged and expire within a day',
    'Set reusable = false, a tag, and expiry <= 86400.',
    tailnetKeySingleUse,
  ),
  rule(
    'OC12-BrokeredCredentials',
    12,
    'error',
    'The gateway holds no provider key and talks to providers only through the broker',
    'Remove provider keys from the gateway; point models.providers.*.baseUrl at the credential broker.',
    brokeredCredentials,
  ),
  rule(
    'OC13-ImageVersionTag',
    13,
    'error',
    'Images carry a version tag, never latest',
    'Pin a version tag (and a digest).',
    imageVersionTag,
  ),
  rule(
    'OC13-ImageDigest',
    13,
    'warning',
    'Images are pinned by digest',
    'Add @sha256:<digest> to the image reference.',
    imageDigest,
  ),
  rule(
    'OC13-McpPluginsPinned',
    13,
    'error',
    'MCP servers and plugins are allowlisted and pinned to exact versions',
    'Use mcpServers with "pkg@1.2.3" pins and an explicit plugin list.',
    configPinned,
  ),
  rule(
    'OC13-McpOwnContainer',
    13,
    'error',
    'No MCP server runs inside the gateway container',
    'Remove mcp.servers.*.command; run the server in its own container (OpenClawAgent mcpServers) and give the gateway its url.',
    mcpOwnContainer,
  ),
  rule(
    'OC14-AuditLogging',
    14,
    'error',
    'OpenClaw audit logging is on and its own audit is not suppressed',
    'Keep logging.audit.enabled true and remove security.audit.suppressions.',
    configAudit,
  ),
  rule(
    'OC14-LogGroupRetentionKms',
    14,
    'error',
    'Log groups keep logs at least a year and use a customer-managed KMS key',
    'Set retention_in_days to 365 or more and kms_key_id (AuditTrail does both).',
    logGroupRetentionKms,
  ),
  rule(
    'OC14-TrailValidation',
    14,
    'error',
    'CloudTrail covers every region, validates, encrypts and records Secrets Manager reads',
    'Use AuditTrail, or set is_multi_region_trail, enable_log_file_validation and kms_key_id, and keep read management events (GetSecretValue) from secretsmanager.amazonaws.com.',
    trailValidation,
  ),
  rule(
    'OC14-ContainerLogging',
    14,
    'error',
    'Container output is logged',
    'Use a log driver other than "none" (json-file, journald or awslogs).',
    containerLogging,
  ),
  rule(
    'OC15-RuntimePatched',
    15,
    'error',
    'OpenClaw images are no older than the minimum safe release',
    'Use the pinned release (OPENCLAW_RELEASE).',
    runtimePatched,
  ),
  rule(
    'OC15-NodeImagePatched',
    15,
    'error',
    'Node-based images (the broker, MCP servers) are at or above the Node security floor',
    'Build on the Node release in BROKER_NODE_VERSION or newer, at or above its line in NODE_SECURITY_FLOORS.',
    nodeImagePatched,
  ),
  rule(
    'OC15-NoSelfUpdate',
    15,
    'error',
    'The pinned image does not update itself',
    'Keep update.auto.enabled and update.checkOnStart false; upgrade by changing the pin.',
    configUpdate,
  ),
  stackRule(
    'OC16-MonthlyReview',
    16,
    'warning',
    'A monthly security review is scheduled',
    'Add AuditTrail (its EventBridge Scheduler review reminder) to a stack of this app, enabled and at least monthly.',
    monthlyReview,
  ),
];

/** Looks a rule up by id. */
export function checklistRule(id: string): ChecklistRule | undefined {
  return OPENCLAW_CHECKLIST_RULES.find((r) => r.id === id);
}
