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

/**
 * A Terraform block name derived from a Docker name: letters, digits, "_" and "-", starting with
 * a letter or "_" (Docker allows "." and a leading digit; Terraform does not).
 */
export function terraformName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
