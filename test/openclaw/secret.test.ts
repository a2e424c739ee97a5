import { isSecretRef, OpenClawSecret } from '../../src';

describe('OpenClawSecret', () => {
  test('fromFile makes a singleValue file provider named after the file', () => {
    const secret = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');
    expect(secret.ref).toEqual({ source: 'file', provider: 'gateway-token', id: 'value' });
    expect(secret.provider).toEqual({
      source: 'file',
      path: '/run/secrets/openclaw/gateway-token',
      mode: 'singleValue',
    });
  });

  test('fromFile takes an explicit provider name', () => {
    expect(OpenClawSecret.fromFile('/s/x', { providerName: 'gw' }).ref.provider).toBe('gw');
  });

  test.each(['relative/token', '/run/../etc/shadow'])('fromFile rejects "%s"', (p) => {
    expect(() => OpenClawSecret.fromFile(p)).toThrow(
      `secret file path "${p}" must be absolute and must not contain ".."; use a path such as "/run/secrets/openclaw/gateway-token"`,
    );
  });

  test('fromFile rejects an invalid provider name', () => {
    expect(() => OpenClawSecret.fromFile('/s/x', { providerName: 'Bad Name' })).toThrow(
      'secret provider name "Bad Name" is invalid; use lower case letters, digits, "-" or "_", starting with a letter, such as "gateway-token"',
    );
  });

  test('fromEnv makes an env provider that allows only that variable', () => {
    const secret = OpenClawSecret.fromEnv('OPENCLAW_GATEWAY_TOKEN');
    expect(secret.ref).toEqual({
      source: 'env',
      provider: 'env-openclaw_gateway_token',
      id: 'OPENCLAW_GATEWAY_TOKEN',
    });
    expect(secret.provider).toEqual({ source: 'env', allowlist: ['OPENCLAW_GATEWAY_TOKEN'] });
  });

  test('fromEnv rejects a lower-case name', () => {
    expect(() => OpenClawSecret.fromEnv('token')).toThrow(
      'environment variable "token" is not a valid secret variable name; use upper case letters, digits and "_", such as "OPENCLAW_GATEWAY_TOKEN"',
    );
  });

  test('isSecretRef recognises exactly the three-key shape', () => {
    expect(isSecretRef({ source: 'file', provider: 'p', id: 'value' })).toBe(true);
    expect(isSecretRef({ source: 'file', provider: 'p', id: 'value', extra: 1 })).toBe(false);
    expect(isSecretRef({ source: 'vault', provider: 'p', id: 'x' })).toBe(false);
    expect(isSecretRef('sk-ant-123')).toBe(false);
  });
});
