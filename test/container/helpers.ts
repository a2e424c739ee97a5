import { TerraformStack, Testing } from 'cdktf';
import { CellNetwork, HardenedContainer, HardenedContainerProps } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A stack with a cell network and one HardenedContainer built from `overrides`. */
export function buildContainer(overrides: Partial<HardenedContainerProps> = {}): {
  stack: TerraformStack;
  container: HardenedContainer;
  synth: Json;
  resource: Json;
} {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const network = new CellNetwork(stack, 'net', { name: 'openclaw-test', subnet: '172.30.0.0/24' });
  const container = new HardenedContainer(stack, 'gateway', {
    name: 'openclaw-test-gateway',
    network,
    ipv4Address: '172.30.0.10',
    ...overrides,
  });
  const synth = JSON.parse(Testing.synth(stack));
  return {
    stack,
    container,
    synth,
    resource: synth.resource.docker_container['openclaw-test-gateway'],
  };
}

/** The error thrown while building a container with `overrides`. */
export function containerError(overrides: Partial<HardenedContainerProps>): string {
  try {
    buildContainer(overrides);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the container to be rejected');
}
