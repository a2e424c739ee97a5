import { compliant, nonCompliant, StackRule } from '../model';

/** Item 11: every secret has a rotation schedule (a kind that cannot rotate is reported). */
export const secretRotation: StackRule = (stack) => {
  const rotations = stack.resources.filter((r) => r.type === 'aws_secretsmanager_secret_rotation');
  return stack.resources
    .filter((r) => r.type === 'aws_secretsmanager_secret')
    .map((secret) => {
      const rotated = rotations.some((rot) => {
        const id = String(rot.attributes.secret_id ?? '');
        return (
          id.includes(`${secret.address}.`) ||
          id === secret.attributes.name ||
          id === secret.attributes.arn
        );
      });
      return {
        address: secret.address,
        outcome: rotated
          ? compliant()
          : nonCompliant('no aws_secretsmanager_secret_rotation for this secret'),
      };
    });
};
