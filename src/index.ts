// The public API of cdktf-openclaw: everything exported here is semver-stable.

export * from './core/weakening';
export * from './core/terraform-string';
export * from './openclaw/release';
export * from './openclaw/secret';
export * from './openclaw/config';
export * from './openclaw/config-problems';
export * from './openclaw/render-config';
export * from './openclaw/pinned-package';
export * from './openclaw/addresses';
export * from './openclaw/gateway-config';
export * from './container/seccomp-profile';
export * from './container/bind-mounts';
export * from './container/image-reference';
export * from './container/cell-network';
export * from './container/hardened-container';
export * from './checklist/model';
export * from './checklist/pack';
export * from './checklist/engine';
export * from './checklist/reports';
export * from './checklist/openclaw-checklist';
export * from './tailnet/serve-config';
export * from './tailnet/tailnet-policy-document';
export * from './tailnet/tailnet-policy';
export * from './tailnet/tailnet-access';
export * from './secrets/agent-secrets';
export * from './broker/credential-broker';
