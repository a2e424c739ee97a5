import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Local state for the examples, in the project folder (`terraform.<stack>.tfstate`, where cdktf
 * keeps it by default) but written as a path relative to the stack's folder
 * (`cdktf.out/stacks/<stack>`, where Terraform runs). cdktf's default spells the same file as an
 * absolute path, which would differ on every checkout and break the snapshots. A real deployment
 * uses an encrypted remote backend instead (README, "Deploying for real").
 */
export function useRelativeLocalState(app: Construct): void {
  for (const child of app.node.children) {
    if (child instanceof TerraformStack) {
      new LocalBackend(child, { path: `../../../terraform.${child.node.id}.tfstate` });
    }
  }
}
