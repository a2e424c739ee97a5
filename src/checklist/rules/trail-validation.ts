import { blocks, flag, list } from '../inspect';
import { MIN_AUDIT_RETENTION_DAYS } from '../../audit/retention';
import { compliant, nonCompliant, notApplicable, ResourceRule, TfStack } from '../model';

const SECRETS_MANAGER = 'secretsmanager.amazonaws.com';

/**
 * Item 14: CloudTrail covers every region, validates and encrypts its log files, and records
 * Secrets Manager reads. `GetSecretValue` is a read management event, so the trail must keep
 * management events with reads, and must not exclude Secrets Manager.
 */
export const trailValidation: ResourceRule = (resource, stack) => {
  if (resource.type !== 'aws_cloudtrail') return notApplicable();
  const a = resource.attributes;
  const problems: string[] = [];
  if (flag(a.enable_log_file_validation) !== true)
    problems.push('enable_log_file_validation is not true');
  if (a.kms_key_id === undefined) problems.push('no kms_key_id');
  if (flag(a.enable_logging ?? true) !== true) problems.push('logging is off');
  if (flag(a.is_multi_region_trail) !== true)
    problems.push('is_multi_region_trail is not true, so other regions go unrecorded');
  for (const p of expiringRules(a.s3_bucket_name, stack))
    problems.push(
      `the trail's bucket expires log files after ${p.days} days (${p.address}), less than ${MIN_AUDIT_RETENTION_DAYS}`,
    );
  if (!recordsSecretReads(a))
    problems.push(
      'Secrets Manager reads (GetSecretValue, a read management event) are not recorded',
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};

/**
 * Lifecycle rules of the trail's bucket (by reference or by name) that expire objects sooner
 * than the audit retention: aws_s3_bucket_lifecycle_configuration and inline lifecycle_rule.
 */
function expiringRules(bucket: unknown, stack: TfStack): { address: string; days: number }[] {
  const out: { address: string; days: number }[] = [];
  const ref = /^\$\{(aws_s3_bucket\.[A-Za-z0-9_-]+)\.(id|bucket)\}$/.exec(String(bucket));
  const target = ref ? stack.byAddress.get(ref[1]) : undefined;
  const names = new Set([String(bucket), String(target?.attributes.bucket ?? '')]);
  const sameBucket = (b: unknown) =>
    names.has(String(b)) || (ref !== null && String(b).includes(`\${${ref[1]}.`));
  const check = (address: string, rules: Record<string, unknown>[]) => {
    for (const r of rules) {
      const status = r.status ?? (r.enabled === false ? 'Disabled' : 'Enabled');
      if (String(status) !== 'Enabled') continue;
      for (const e of [...blocks(r.expiration), ...blocks(r.noncurrent_version_expiration)]) {
        const days = Number(e.days ?? e.noncurrent_days);
        if (Number.isFinite(days) && days > 0 && days < MIN_AUDIT_RETENTION_DAYS)
          out.push({ address, days });
      }
    }
  };
  for (const r of stack.resources) {
    if (r.type === 'aws_s3_bucket_lifecycle_configuration' && sameBucket(r.attributes.bucket))
      check(r.address, blocks(r.attributes.rule));
    if (r.type === 'aws_s3_bucket' && (r === target || names.has(String(r.attributes.bucket))))
      check(r.address, blocks(r.attributes.lifecycle_rule));
  }
  return out;
}

function recordsSecretReads(a: Record<string, unknown>): boolean {
  const basic = blocks(a.event_selector);
  const advanced = blocks(a.advanced_event_selector);
  if (basic.length === 0 && advanced.length === 0) return true; // the default: all management events
  const viaBasic = basic.some(
    (s) =>
      s.include_management_events !== false &&
      s.read_write_type !== 'WriteOnly' &&
      !list(s.exclude_management_event_sources).includes(SECRETS_MANAGER),
  );
  const viaAdvanced = advanced.some((s) => {
    const fields = blocks(s.field_selector);
    const admits = (name: string, value: string) =>
      fields.filter((f) => f.field === name).every((f) => fieldAdmits(f, value));
    return (
      admits('eventCategory', 'Management') &&
      fields.some((f) => f.field === 'eventCategory') &&
      admits('readOnly', 'true') &&
      admits('eventSource', SECRETS_MANAGER) &&
      admits('eventName', 'GetSecretValue')
    );
  });
  return viaBasic || viaAdvanced;
}

/** True when an advanced event selector's field condition lets `value` through. */
function fieldAdmits(f: Record<string, unknown>, value: string): boolean {
  const of = (key: string) => list(f[key]).map(String);
  const equals = of('equals');
  const startsWith = of('starts_with');
  const endsWith = of('ends_with');
  return (
    (equals.length === 0 || equals.includes(value)) &&
    (startsWith.length === 0 || startsWith.some((p) => value.startsWith(p))) &&
    (endsWith.length === 0 || endsWith.some((p) => value.endsWith(p))) &&
    !of('not_equals').includes(value) &&
    !of('not_starts_with').some((p) => value.startsWith(p)) &&
    !of('not_ends_with').some((p) => value.endsWith(p))
  );
}
