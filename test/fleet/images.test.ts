import { TerraformStack, Testing } from 'cdktf';
import {
  auditStack,
  CellNetwork,
  CredentialBroker,
  ImageReference,
  OPENCLAW_RELEASE,
  readStack,
  TAILSCALE_IMAGE,
} from '../../src';
import { buildFleet, Json, presetAgents, synth } from './helpers';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const GATEWAY: ImageReference = {
  repository: OPENCLAW_RELEASE.imageRepository,
  tag: OPENCLAW_RELEASE.imageTag,
  digest: digest('a'),
};
const TAILSCALE: ImageReference = { ...TAILSCALE_IMAGE, digest: digest('b') };
const BROKER: ImageReference = {
  repository: 'registry.example.com/platform/openclaw-credential-broker',
  tag: '0.1.0',
  digest: digest('c'),
};

/** The docker_image resources of a synthesized stack, by Terraform name. */
const images = (out: Json): Record<string, { name: string; build?: unknown }> =>
  out.resource.docker_image;
const digestFindings = (out: Json) =>
  auditStack(readStack(out, 'agents')).findings.filter((f) => f.ruleId === 'OC13-ImageDigest');

describe('image digests', () => {
  test('GIVEN no images THEN every agent reports three tag-only images (the default)', () => {
    const out = synth(buildFleet().docker);
    expect(digestFindings(out).length).toBe(3 * presetAgents().length);
  });

  test('GIVEN fleet images pinned by digest THEN every image of every agent is pinned, the broker is pulled, and OC13-ImageDigest has nothing to report', () => {
    const out = synth(
      buildFleet({ images: { gateway: GATEWAY, tailscale: TAILSCALE, broker: BROKER } }).docker,
    );
    const all = images(out);
    expect(Object.keys(all).length).toBe(3 * presetAgents().length);
    for (const [name, image] of Object.entries(all)) {
      const expected = name.endsWith('-gateway')
        ? GATEWAY
        : name.endsWith('-tailscale')
          ? TAILSCALE
          : BROKER;
      expect([name, image.name]).toEqual([
        name,
        `${expected.repository}:${expected.tag}@${expected.digest}`,
      ]);
      expect([name, image.build]).toEqual([name, undefined]);
    }
    expect(digestFindings(out)).toEqual([]);
  });

  test("GIVEN an agent's own images THEN they win over the fleet's", () => {
    const own = { ...BROKER, digest: digest('d') };
    const agents = presetAgents().map((a) =>
      a.profile.name === 'research'
        ? { ...a, brokerImage: own, tailscaleImage: { ...TAILSCALE, digest: digest('e') } }
        : a,
    );
    const all = images(
      synth(buildFleet({ agents, images: { tailscale: TAILSCALE, broker: BROKER } }).docker),
    );
    expect(all['openclaw-research-broker'].name).toBe(`${own.repository}:${own.tag}@${own.digest}`);
    expect(all['openclaw-research-tailscale'].name).toBe(
      `${TAILSCALE.repository}:${TAILSCALE.tag}@${digest('e')}`,
    );
    expect(all['openclaw-messaging-broker'].name).toBe(
      `${BROKER.repository}:${BROKER.tag}@${BROKER.digest}`,
    );
  });
});

describe('CredentialBroker image', () => {
  function broker(image?: ImageReference): Json {
    const stack = new TerraformStack(Testing.app(), 'test');
    const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
    new CredentialBroker(stack, 'broker', {
      agent: 'research',
      network,
      address: '172.30.0.3',
      region: 'eu-west-1',
      upstreams: [{ provider: 'anthropic', secretArn: 'openclaw/research/anthropic' }],
      image,
    });
    return images(synth(stack))['openclaw-research-broker'];
  }

  test('GIVEN no image THEN built on the host from the package sources', () => {
    expect(broker()).toMatchObject({
      build: { context: expect.stringMatching(/^assets\/openclaw-broker-source\//) },
    });
  });

  test('GIVEN a bad digest THEN refused, saying what a digest looks like', () => {
    expect(() => broker({ ...BROKER, digest: 'sha256:abc' })).toThrow(
      'broker image digest "sha256:abc" is not "sha256:" followed by 64 lower-case hex digits; copy it from `docker buildx imagetools inspect registry.example.com/platform/openclaw-credential-broker:0.1.0`',
    );
  });

  test('GIVEN a moving tag THEN refused', () => {
    expect(() => broker({ ...BROKER, tag: 'latest' })).toThrow(
      /^broker image tag "latest" moves or is invalid/,
    );
  });
});
