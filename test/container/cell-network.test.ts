import { TerraformStack, Testing } from 'cdktf';
import { CellNetwork } from '../../src';
import { hostIndex } from '../../src/container/cell-network';

describe('CellNetwork', () => {
  test('an internal bridge network with no NAT and a static subnet', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new CellNetwork(stack, 'net', { name: 'openclaw-research' });
    const synth = JSON.parse(Testing.synth(stack));
    expect(synth.resource.docker_network['openclaw-research']).toMatchObject({
      name: 'openclaw-research',
      driver: 'bridge',
      internal: true,
      attachable: false,
      ipam_config: [{ subnet: '172.30.0.0/24' }],
      options: { 'com.docker.network.bridge.enable_ip_masquerade': 'false' },
    });
  });

  test.each([
    [{ name: 'bad name' }, 'network name "bad name" is not a Docker network name'],
    [
      { name: 'n', subnet: '172.30.0.0/8' },
      'cell subnet "172.30.0.0/8" must be an IPv4 block from /16 to /29, such as "172.30.0.0/24"',
    ],
    [{ name: 'n', subnet: 'fd00::/64' }, 'cell subnet "fd00::/64" must be an IPv4 block'],
    [
      { name: 'n', subnet: '8.8.8.0/24' },
      'cell subnet "8.8.8.0/24" is public address space; use a private block such as "172.30.0.0/24"',
    ],
  ])('rejects %j', (props, message) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    expect(() => new CellNetwork(stack, 'net', props)).toThrow(message);
  });

  test('host addresses exclude the network, the bridge gateway and broadcast', () => {
    expect(hostIndex('172.30.0.10', '172.30.0.0/24')).toBe(10);
    expect(hostIndex('172.30.0.0', '172.30.0.0/24')).toBeUndefined();
    expect(hostIndex('172.30.0.1', '172.30.0.0/24')).toBeUndefined();
    expect(hostIndex('172.30.0.255', '172.30.0.0/24')).toBeUndefined();
    expect(hostIndex('172.30.1.10', '172.30.0.0/24')).toBeUndefined();
  });
});
