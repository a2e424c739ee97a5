/**
 * Literal text inside Terraform strings. Terraform reads `${...}` and `%{...}` in any string as
 * interpolation, so text that must stay literal (an OpenClaw `${ENV}` reference inside a config,
 * for example) is escaped as `$${` and `%%{`. cdktf does not do this itself. cdktf tokens
 * (`${TfToken[...]}`) are left alone so they still resolve.
 */

/** Escapes `${` and `%{` so Terraform keeps them literally. */
export function escapeTerraformTemplate(text: string): string {
  // replacement functions, because "$$" in a replacement string means one "$"
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Undoes {@link escapeTerraformTemplate}: the literal text Terraform will produce. */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}

/** True when a synthesized string still holds an (unescaped) interpolation or a cdktf token. */
export function hasInterpolation(text: string): boolean {
  return /(^|[^$])\$\{/.test(text) || /(^|[^%])%\{/.test(text) || text.includes('TfToken[');
}
