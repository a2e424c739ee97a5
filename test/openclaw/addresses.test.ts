import {
  isLoopbackAddress,
  isPrivateAddress,
  isSingleHost,
  parseCidr,
} from '../../src/openclaw/addresses';

describe('addresses', () => {
  test.each([
    ['172.30.0.2', { family: 4, address: '172.30.0.2', prefixLength: 32 }],
    ['172.30.0.2/32', { family: 4, address: '172.30.0.2', prefixLength: 32 }],
    ['10.0.0.0/8', { family: 4, address: '10.0.0.0', prefixLength: 8 }],
    ['fd7a:115c:a1e0::1/128', { family: 6, address: 'fd7a:115c:a1e0::1', prefixLength: 128 }],
    ['::/0', { family: 6, address: '::', prefixLength: 0 }],
  ])('parses %s', (input, expected) => {
    expect(parseCidr(input)).toEqual(expected);
  });

  test.each(['256.0.0.1', '10.0.0.0/33', 'example.com', '10.0.0.1/8/1', '1.2.3', ''])(
    'rejects %s',
    (input) => {
      expect(parseCidr(input)).toBeUndefined();
    },
  );

  test('single hosts', () => {
    expect(isSingleHost(parseCidr('172.30.0.2')!)).toBe(true);
    expect(isSingleHost(parseCidr('172.30.0.0/31')!)).toBe(false);
    expect(isSingleHost(parseCidr('::1/128')!)).toBe(true);
  });

  test('private and loopback ranges', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '100.127.255.254',
      '127.0.0.1',
      'fd7a::1',
      '::1',
    ]) {
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2001:db8::1']) {
      expect([a, isPrivateAddress(a)]).toEqual([a, false]);
    }
    expect(isLoopbackAddress('127.5.5.5')).toBe(true);
    expect(isLoopbackAddress('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
  });
});
