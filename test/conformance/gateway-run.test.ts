/**
 * GIVEN the loopback example config on a free port
 * WHEN the real gateway runs it
 * THEN it listens only on 127.0.0.1:<port>, binds no UDP (no mDNS), /healthz answers with its
 *      JSON body, unauthenticated POST /tools/invoke gets 401, and stopping the process group
 *      leaves no process behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderOpenClawConfig } from '../../src';
import { startScript } from '../../src/container/hardened-container';
import { isLoopbackAddress } from '../../src/openclaw/addresses';
import { CONFORMANCE_CASES, loopbackOnFreePort, presetConfigs, withTokenFile } from './configs';
import {
  assertOracleInstalled,
  boundSockets,
  runCli,
  freePort,
  groupMembers,
  makeHome,
  ORACLE_CLI,
  ORACLE_NODE,
  RunningGateway,
  startGateway,
  startGatewayCommand,
  waitForHealth,
  writeConfig,
} from './oracle';

jest.setTimeout(320_000);

let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

test('the real gateway serves the loopback config only on loopback, with auth', async () => {
  assertOracleInstalled();
  const { home, port, rendered } = await loopbackOnFreePort();
  writeConfig(home, rendered.json);

  gateway = startGateway(home);
  const pgid = gateway.child.pid!;
  const base = `http://127.0.0.1:${port}`;

  const health = await waitForHealth(gateway, base);
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toMatchObject({ ok: true, status: 'live' });

  const sockets = boundSockets(pgid);
  // "loopback" means 127.0.0.1, and ::1 when the host has IPv6; nothing else, no other port.
  const listening = sockets.filter((s) => s.protocol.startsWith('tcp'));
  expect(listening.map((s) => `${s.address}:${s.port}`)).toContain(`127.0.0.1:${port}`);
  for (const s of listening) {
    expect({ address: s.address, port: s.port, loopback: isLoopbackAddress(s.address) }).toEqual({
      address: s.address,
      port,
      loopback: true,
    });
  }
  expect(sockets.filter((s) => s.protocol.startsWith('udp') && s.port === 5353)).toEqual([]);

  const invoke = await fetch(`${base}/tools/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tool: 'session_status', args: {} }),
  });
  expect(invoke.status).toBe(401);

  const wrongToken = await fetch(`${base}/tools/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' },
    body: JSON.stringify({ tool: 'session_status', args: {} }),
  });
  expect(wrongToken.status).toBe(401);

  await gateway.stop();
  expect(groupMembers(pgid)).toEqual([]);
  fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/*
 * GIVEN a config with the shell on an allowlist
 * WHEN its exec-approvals document is applied to the real gateway with `openclaw approvals set`
 * THEN OpenClaw accepts it and the effective policy is allowlist + ask always, with no
 *      "allow-always" decision offered (an approval never widens the allowlist).
 */
test('the real gateway accepts the shell allowlist and enforces approval always', async () => {
  assertOracleInstalled();
  const home = makeHome();
  const port = await freePort();
  const props = CONFORMANCE_CASES.find(
    (c) => c.name === 'shell allowlist with approval always',
  )!.props;
  const rendered = renderOpenClawConfig({ ...withTokenFile(props, home.tokenPath), port });
  writeConfig(home, rendered.json);
  const approvalsFile = path.join(home.dir, 'exec-approvals.json');
  fs.writeFileSync(approvalsFile, JSON.stringify(rendered.execApprovals), { mode: 0o600 });

  gateway = startGateway(home);
  await waitForHealth(gateway, `http://127.0.0.1:${port}`);
  const remote = ['--url', `ws://127.0.0.1:${port}`, '--token', home.token, '--json'];
  const set = runCli(home, ['approvals', 'set', '--file', approvalsFile, ...remote]);
  if (set.status !== 0) throw new Error(`approvals set failed:\n${set.stdout}\n${set.stderr}`);

  const get = runCli(home, ['approvals', 'get', ...remote]);
  const state = JSON.parse(get.stdout.slice(get.stdout.indexOf('{')));
  const patterns = state.file.agents.main.allowlist.map((e: { pattern: string }) => e.pattern);
  expect(patterns).toEqual(props.shell?.commands);
  const scope = state.effectivePolicy.scopes.find((s: { agentId: string }) => s.agentId === 'main');
  expect(scope.security.effective).toBe('allowlist');
  expect(scope.ask.effective).toBe('always');
  expect(scope.askFallback.effective).toBe('deny');
  expect(scope.allowedDecisions).toEqual(['allow-once', 'deny']);
  // the gateway writes into its home until it has stopped: stop it before removing the home
  await gateway.stop();
  gateway = undefined;
  fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/*
 * GIVEN the shell preset's gateway config
 * WHEN the container's start script runs it (config written, allowlist applied locally to
 *      OpenClaw's approvals store, then the gateway started)
 * THEN the running gateway reports exactly the preset's allowlist with approval always, and an
 *      allow-always decision granted before a restart does not survive it.
 */
test('the start script applies the shell preset allowlist before the gateway starts', async () => {
  assertOracleInstalled();
  const shell = presetConfigs().find((c) => c.name === 'preset: shell')!.props;
  const home = makeHome();
  const port = await freePort();
  const rendered = renderOpenClawConfig({
    ...withTokenFile(shell, home.tokenPath),
    bindAddress: undefined,
    trustedProxies: undefined,
    controlUiOrigins: undefined,
    port,
  });
  expect(rendered.execApprovals).toBeDefined();
  // an earlier, wider decision in the store, as if a human had granted it
  const stale = structuredClone(rendered.execApprovals) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stale.agents.main.allowlist.push({ pattern: 'rm' });
  const staleFile = path.join(home.dir, 'stale.json');
  fs.writeFileSync(staleFile, JSON.stringify(stale), { mode: 0o600 });
  expect(runCli(home, ['approvals', 'set', '--file', staleFile, '--json']).status).toBe(0);

  const configFile = path.join(home.stateDir, 'openclaw.json');
  const script = startScript({
    configFile,
    openclaw: `${ORACLE_NODE} ${ORACLE_CLI}`,
    applyExecApprovals: true,
  });
  gateway = startGatewayCommand(home, '/bin/sh', ['-c', script], {
    OPENCLAW_CONFIG_JSON: JSON.stringify(rendered.document),
    OPENCLAW_EXEC_APPROVALS_JSON: JSON.stringify(rendered.execApprovals),
  });
  await waitForHealth(gateway, `http://127.0.0.1:${port}`);
  const remote = ['--url', `ws://127.0.0.1:${port}`, '--token', home.token, '--json'];
  const get = runCli(home, ['approvals', 'get', ...remote]);
  const state = JSON.parse(get.stdout.slice(get.stdout.indexOf('{')));
  const patterns = state.file.agents.main.allowlist.map((e: { pattern: string }) => e.pattern);
  expect(patterns).toEqual(shell.shell?.commands);
  const scope = state.effectivePolicy.scopes.find((s: { agentId: string }) => s.agentId === 'main');
  expect([scope.security.effective, scope.ask.effective]).toEqual(['allowlist', 'always']);
  expect(scope.allowedDecisions).toEqual(['allow-once', 'deny']);
  await gateway.stop();
  gateway = undefined;
  fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});
