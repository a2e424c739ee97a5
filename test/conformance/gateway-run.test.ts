/**
 * GIVEN the loopback example config on a free port
 * WHEN the real gateway runs it
 * THEN it listens only on 127.0.0.1:<port>, binds no UDP (no mDNS), /healthz answers with its
 *      JSON body, unauthenticated POST /tools/invoke gets 401, and stopping the process group
 *      leaves no process behind.
 */
import * as fs from 'fs';
import { isLoopbackAddress, renderOpenClawConfig } from '../../src';
import { loopbackGatewayConfig } from '../../examples/gateway-config/stack';
import { withTokenFile } from './configs';
import {
  assertOracleInstalled,
  boundSockets,
  freePort,
  groupMembers,
  makeHome,
  RunningGateway,
  startGateway,
  writeConfig,
} from './oracle';

jest.setTimeout(180_000);

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.stop();
});

test('the real gateway serves the loopback config only on loopback, with auth', async () => {
  assertOracleInstalled();
  const home = makeHome();
  const port = await freePort();
  const rendered = renderOpenClawConfig({
    ...withTokenFile(loopbackGatewayConfig, home.tokenPath),
    port,
  });
  writeConfig(home, rendered.json);

  gateway = startGateway(home);
  const pgid = gateway.child.pid!;
  const base = `http://127.0.0.1:${port}`;

  let health: { status: number; body: string } | undefined;
  for (let i = 0; i < 120 && health === undefined; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (gateway.child.exitCode !== null) break;
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      health = { status: res.status, body: await res.text() };
    } catch {
      // not listening yet
    }
  }
  if (health === undefined) {
    throw new Error(`gateway did not answer /healthz within 60 s; output:\n${gateway.output()}`);
  }
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
  fs.rmSync(home.dir, { recursive: true, force: true });
});
