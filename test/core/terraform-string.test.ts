import {
  escapeTerraformTemplate,
  hasInterpolation,
  unescapeTerraformTemplate,
} from '../../src/core/terraform-string';

describe('literal text in Terraform strings', () => {
  test('escapes interpolations and directives, not cdktf tokens', () => {
    expect(escapeTerraformTemplate('a ${B} %{if x} ${TfToken[TOKEN.1]}')).toBe(
      'a $${B} %%{if x} ${TfToken[TOKEN.1]}',
    );
  });

  test('round-trips', () => {
    const text = '{"env":{"T":"${GITHUB_TOKEN}","U":"Bearer ${X}"}}';
    expect(unescapeTerraformTemplate(escapeTerraformTemplate(text))).toBe(text);
  });

  test('finds unescaped interpolations only', () => {
    expect(hasInterpolation('${aws_kms_key.k.arn}')).toBe(true);
    expect(hasInterpolation('x %{ for a in b }')).toBe(true);
    expect(hasInterpolation('$${GITHUB_TOKEN}')).toBe(false);
    expect(hasInterpolation('plain')).toBe(false);
  });
});
