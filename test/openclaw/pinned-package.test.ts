import { isPinnedPackage, parsePinnedPackage } from '../../src';

describe('exact package pins', () => {
  test.each([
    [
      '@modelcontextprotocol/server-github@2025.4.8',
      '@modelcontextprotocol/server-github',
      '2025.4.8',
    ],
    ['mcp-server-time@1.2.3', 'mcp-server-time', '1.2.3'],
    ['pkg@1.0.0-rc.1', 'pkg', '1.0.0-rc.1'],
  ])('accepts %s', (spec, name, version) => {
    expect(parsePinnedPackage(spec, 'MCP server "x"')).toEqual({ name, version, spec });
    expect(isPinnedPackage(spec)).toBe(true);
  });

  test('rejects a missing version', () => {
    expect(() => parsePinnedPackage('@scope/pkg', 'MCP server "x"')).toThrow(
      'MCP server "x": "@scope/pkg" has no version, so whatever is published next would run; pin an exact version, such as "@scope/pkg@1.2.3"',
    );
  });

  test.each(['latest', '^1.2.3', '~1.2.3', '1.x', '>=1.0.0', '1.2', 'next'])(
    'rejects version "%s"',
    (v) => {
      expect(() => parsePinnedPackage(`pkg@${v}`, 'plugin "p"')).toThrow(
        `plugin "p": "pkg@${v}" uses "${v}", which is a tag or a range and can change after review; pin an exact version, such as "pkg@1.2.3"`,
      );
    },
  );

  test('rejects something that is not a package', () => {
    expect(() => parsePinnedPackage('https://evil.example/x.tgz', 'plugin "p"')).toThrow(
      'plugin "p": "https://evil.example/x.tgz" is not an npm package spec; write "<package>@<exact version>", such as "@modelcontextprotocol/server-github@2025.4.8"',
    );
  });
});
