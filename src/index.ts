// The public API of cdktf-openclaw: everything exported here is semver-stable, and
// test/public-api.test.ts pins the list, so adding or removing a name is a deliberate change.
// Internal helpers stay importable by path inside this package only.

export type { Weakening, WeakeningReason } from './core/weakening';
export {
  compareOpenClawVersions,
  isOpenClawVersion,
  OPENCLAW_CLI,
  OPENCLAW_MINIMUM_SAFE_VERSION,
  OPENCLAW_RELEASE,
  openClawImageReference,
} from './openclaw/release';
export type { OpenClawRelease } from './openclaw/release';
export { isSecretRef, OpenClawSecret } from './openclaw/secret';
export type { FileSecretOptions, SecretProviderJson, SecretRefJson } from './openclaw/secret';
export type {
  AuthRateLimit,
  McpEndpoint,
  ModelApi,
  ModelEntry,
  ModelProvider,
  OpenClawConfigProps,
  OpenClawPluginSpec,
  ShellPolicy,
  ToolsProfile,
} from './openclaw/config';
export { BASELINE_DENIED_TOOLS, findConfigProblems } from './openclaw/config-problems';
export type { ConfigAllowances, ConfigProblem } from './openclaw/config-problems';
export { OPENCLAW_GATEWAY_PORT, renderOpenClawConfig } from './openclaw/render-config';
export type { RenderedOpenClawConfig } from './openclaw/render-config';
export { isPinnedPackage, parsePinnedPackage } from './openclaw/pinned-package';
export type { PinnedPackage } from './openclaw/pinned-package';
export { GatewayConfig } from './openclaw/gateway-config';
export { renderSeccompProfile, seccompProfileJson } from './container/seccomp-profile';
export type { SeccompArg, SeccompProfile, SeccompRule } from './container/seccomp-profile';
export { bindMountProblem } from './container/bind-mounts';
export type { BindMount } from './container/bind-mounts';
export { pinnedOpenClawImage } from './container/image-reference';
export type { ImageReference } from './container/image-reference';
export { CellNetwork } from './container/cell-network';
export type { CellNetworkProps } from './container/cell-network';
export { hardenedRuntime } from './container/hardening';
export type { ContainerLogging, HardeningOptions } from './container/hardening';
export { HardenedContainer } from './container/hardened-container';
export type {
  AddedCapabilities,
  GatewayOptions,
  HardenedContainerProps,
  LargerTmpfs,
  McpServerAttachment,
  OtherUser,
  PublishedPort,
} from './container/hardened-container';
export { McpServerContainer } from './mcp/mcp-server-container';
export type { McpServerContainerProps } from './mcp/mcp-server-container';
export { MCP_SECRETS_DIR } from './mcp/mcp-server';
export type { McpSecretFile, McpServer } from './mcp/mcp-server';
export { MCP_BROKERED_TOKEN } from './mcp/mcp-egress';
export type { McpUpstream } from './mcp/mcp-egress';
export { APP_WIDE_TYPES, readStack } from './checklist/model';
export type { Suppression, TfResource, TfStack } from './checklist/model';
export { CHECKLIST_ITEMS, OPENCLAW_CHECKLIST_RULES } from './checklist/pack';
export type { ChecklistRule, Severity } from './checklist/pack';
export { auditStack, errorsOf } from './checklist/engine';
export type { Finding, ItemStatus, StackAudit } from './checklist/engine';
export {
  renderJson,
  renderMarkdown,
  renderSarif,
  renderText,
  REPORT_FILES,
} from './checklist/reports';
export { OpenClawChecklist } from './checklist/openclaw-checklist';
export type { OpenClawChecklistProps } from './checklist/openclaw-checklist';
export { agentTag, renderTailnetPolicy } from './tailnet/tailnet-policy-document';
export type {
  AgentAccess,
  HostAccess,
  TailnetPolicyOptions,
} from './tailnet/tailnet-policy-document';
export { TailnetPolicy } from './tailnet/tailnet-policy';
export type { TailnetPolicyProps } from './tailnet/tailnet-policy';
export { MAX_AUTH_KEY_SECONDS, TailnetAccess, TAILSCALE_IMAGE } from './tailnet/tailnet-access';
export type { TailnetAccessProps, TailnetFront } from './tailnet/tailnet-access';
export { AgentSecrets } from './secrets/agent-secrets';
export type { AgentCredential, AgentSecretsProps } from './secrets/agent-secrets';
export { GatewayTokenRotation } from './secrets/gateway-token-rotation';
export type { GatewayTokenRotationProps } from './secrets/gateway-token-rotation';
export { BROKER_PORT, CredentialBroker } from './broker/credential-broker';
export type {
  BrokerUpstream,
  CredentialBrokerProps,
  CustomUpstream,
  McpBrokerListener,
} from './broker/credential-broker';
export { DEPLOY_USER, firewallScript, renderUserData } from './host/user-data';
export { APPLIED_VERSION_TAG, HOST_TAG, hostTailnetKeySecretName } from './host/host-names';
export type { HostCell, HostMcpSecretFile, UserDataOptions } from './host/user-data';
export { AgentHost } from './host/agent-host';
export type { AgentHostProps } from './host/agent-host';
export { HostTailnetKey } from './host/host-tailnet-key';
export type { HostTailnetKeyProps } from './host/host-tailnet-key';
export { CELLS_DOCUMENT_VERSION, cellsDocument, cellsParameterName } from './host/cells-document';
export type { CellsDocument } from './host/cells-document';
export { RiskProfile } from './fleet/risk-profile';
export type {
  CredentialAllowance,
  CredentialKind,
  Placement,
  RiskProfileChanges,
  RiskProfileSpec,
} from './fleet/risk-profile';
export { cellAddresses, defaultCellIndex, OpenClawAgent } from './fleet/openclaw-agent';
export type {
  AgentCredentialSpec,
  CellAddresses,
  CredentialRotation,
  OpenClawAgentProps,
  ServiceUpstream,
} from './fleet/openclaw-agent';
export { AgentFleet } from './fleet/agent-fleet';
export type {
  AgentFleetProps,
  FleetAgent,
  FleetAgentHost,
  FleetHost,
  FleetImages,
} from './fleet/agent-fleet';
export { LOG_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS } from './audit/retention';
export {
  AGENT_LOG_STREAMS,
  agentLogGroupArn,
  agentLogGroupArns,
  agentLogGroupName,
  awslogsDriver,
  INJECTION_PHRASES,
} from './audit/log-patterns';
export type { ActiveHours, AgentLogStream } from './audit/log-patterns';
export { DEFAULT_REVIEW_SCHEDULE } from './audit/review-schedule';
export { AuditTrail } from './audit/audit-trail';
export type { AgentAlarms, AuditTrailProps } from './audit/audit-trail';
