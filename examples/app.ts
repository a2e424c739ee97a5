import { App } from 'cdktf';
import { GatewayConfigStack } from './gateway-config/stack';

/** Every example stack, synthesized into ./cdktf.out/stacks/<stack>/cdk.tf.json. */
export function buildExamples(app: App): void {
  new GatewayConfigStack(app, 'gateway-config');
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
