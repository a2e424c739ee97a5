import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { terraformName } from './terraform-string';

/**
 * A Terraform output whose name derives from content (the agent, host or trail name it
 * describes), never from its place in the construct tree, so `terraform output <name>` and the
 * scripts that read it survive refactoring. The construct id is `output-<name>`.
 */
export function stableOutput(
  scope: Construct,
  name: string,
  value: string,
  description: string,
): TerraformOutput {
  const output = new TerraformOutput(scope, `output-${name}`, { value, description });
  output.overrideLogicalId(terraformName(name));
  return output;
}
