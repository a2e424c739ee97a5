/**
 * GIVEN fleets of 2, 3 and 4 agents on one AgentHost
 * WHEN each is synthesized
 * THEN the instance's user data is byte for byte the same (the cells reach the host through its
 *      cells parameter, read by the reconciler), so adding an agent never replaces the instance.
 */
import { TerraformStack, Testing } from 'cdktf';
import { AgentHost, RiskProfile } from '../../src';
import { anthropic, buildFleet, Json, NO_ROTATION, presetAgents } from '../fleet/helpers';

function hostFor(agentCount: number): { instance: Json; cells: number } {
  const [messaging, mail, research] = presetAgents();
  const docs = {
    profile: RiskProfile.research(['docs.python.org:443']),
    name: 'docs',
    allow: ['group:research'],
    host: 'host-1',
    gatewayToken: NO_ROTATION,
    credentials: [anthropic()],
  };
  const { fleet } = buildFleet({
    agents: [messaging, mail, research, docs].slice(0, agentCount),
  });
  const stack = new TerraformStack(Testing.app(), 'host');
  const cells = fleet.hostCells('host-1');
  new AgentHost(stack, 'host', {
    name: 'host-1',
    amiId: 'ami-0123456789abcdef0',
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    region: 'eu-west-1',
    readableSecretArns: [],
    readableKeyArns: [],
    cells,
  });
  return {
    instance: JSON.parse(Testing.synth(stack)).resource.aws_instance['host-1'],
    cells: cells.length,
  };
}

test('the synthesized user data is identical for fleets of 2, 3 and 4 agents', () => {
  const [two, three, four] = [2, 3, 4].map(hostFor);
  expect([two.cells, three.cells, four.cells]).toEqual([2, 3, 4]);
  expect(two.instance.user_data_base64).toEqual(
    expect.stringMatching(/^\$\{base64gzip\("#cloud-config/),
  );
  expect(three.instance.user_data_base64).toBe(two.instance.user_data_base64);
  expect(four.instance.user_data_base64).toBe(two.instance.user_data_base64);
  expect(two.instance.user_data).toBeUndefined();
});
