import { blocks, flag, list } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

const SECRETS_MANAGER = 'secretsmanager.amazonaws.com';

/**
 * Item 14: CloudTrail covers every region, validates and encrypts its log files, and records
 * Secrets Manager reads. `GetSecretValue` is a read management event, so the trail must keep
 * management events with reads, and must not exclude Secrets Manager.
 */
export const trailValidation: ResourceRule = (resource) => {
  if (resource.type !== 'aws_cloudtrail') return notApplicable();
  const a = resource.attributes;
  const problems: string[] = [];
  if (flag(a.enable_log_file_validation) !== true)
    problems.push('enable_log_file_validation is not true');
  if (a.kms_key_id === undefined) problems.push('no kms_key_id');
  if (flag(a.enable_logging ?? true) !== true) problems.push('logging is off');
  if (flag(a.is_multi_region_trail) !== true)
    problems.push('is_multi_region_trail is not true, so other regions go unrecorded');
  if (!recordsSecretReads(a))
    problems.push(
      'Secrets Manager reads (GetSecretValue, a read management event) are not recorded',
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};

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
