/**
 * GIVEN a gateway that is slow to start (or dies while starting)
 * WHEN a test waits for its /healthz
 * THEN the wait is bounded by the clock and fails with the gateway's own output, so a slow start
 *      on a busy machine says what the gateway was doing instead of ending as a bare jest timeout.
 */
import { freePort, makeHome, startGatewayCommand, waitForHealth } from './oracle';

test('a gateway that never answers fails the wait with its output, by the clock', async () => {
  const home = makeHome();
  const port = await freePort();
  const slow = startGatewayCommand(home, process.execPath, [
    '-e',
    "console.log('gateway still loading plugins'); setInterval(() => {}, 1000)",
  ]);
  const started = Date.now();
  try {
    await expect(waitForHealth(slow, `http://127.0.0.1:${port}`, 3000)).rejects.toThrow(
      /did not answer \/healthz within [34] s; its output:\ngateway still loading plugins/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await slow.stop();
  }
});

test('a gateway that exits while starting fails the wait at once, with its exit code and output', async () => {
  const home = makeHome();
  const port = await freePort();
  const dying = startGatewayCommand(home, process.execPath, [
    '-e',
    "console.error('config invalid: gateway.bind'); process.exit(3)",
  ]);
  try {
    await expect(waitForHealth(dying, `http://127.0.0.1:${port}`, 60_000)).rejects.toThrow(
      /the gateway exited \(code 3, signal null\) after \d+ s; its output:\nconfig invalid: gateway.bind/,
    );
  } finally {
    await dying.stop();
  }
});
