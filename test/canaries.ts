/**
 * Values the tests use as secrets. None may ever appear in synthesized Terraform JSON or a plan.
 */
export const TEST_SECRET_VALUES: readonly string[] = [
  'sk-ant-api03-test-key-0123456789abcdefghij',
  'sk-ant-api03-rotated-key-9876543210zyxwvut',
  'sk-ant-api03-conformance-only-key-abcdefghijklmnop',
  'test-only-not-a-secret',
];

/** Shapes of real credentials (any of these in generated output is a leak). */
export const SECRET_SHAPES: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/,
  /\bsk-(proj-)?[A-Za-z0-9]{20,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bghp_[A-Za-z0-9]{20,}/,
  /tskey-(auth|client)-[A-Za-z0-9-]{10,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
