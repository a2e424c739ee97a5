import { auditStack, readStack } from '../../src';
import { brokenStack, Json } from './fixtures';

const findings = (change: (s: Json) => void) =>
  auditStack(readStack(brokenStack(change), 'fixture')).findings.filter(
    (f) => f.ruleId === 'OC15-NodeImagePatched',
  );

/** A hand-written MCP server container on an official node image. */
const mcp = (image: string) => (s: Json) =>
  (s.resource.docker_container.mcp = { ...s.resource.docker_container['gw-broker'], image });

describe('OC15-NodeImagePatched on images not built by the library', () => {
  test.each<[string, string, string | undefined]>([
    ['node:24.22.1-bookworm-slim', 'compliant', undefined],
    [
      'node:24.11.1-bookworm-slim',
      'non-compliant',
      'Node 24.11.1 is older than 24.22.1, the oldest Node 24 release with every published security fix; rebuild on node:24.22.3-bookworm-slim or newer',
    ],
    [
      'node:22.20.0',
      'non-compliant',
      'Node 22.20.0 is on a line with no known security floor; use Node 24.22.3 or another release at or above 24.22.1',
    ],
    [
      'node:24-bookworm-slim',
      'undecidable',
      'node image tag "24-bookworm-slim" does not say which Node release it is',
    ],
  ])('GIVEN a container on %s THEN %s', (image, status, detail) => {
    const hits = findings(mcp(image));
    if (status === 'compliant') return expect(hits).toEqual([]);
    expect(hits.map((f) => [f.address, f.status])).toEqual([['docker_container.mcp', status]]);
    expect(hits[0].details).toContain(detail);
  });
});
