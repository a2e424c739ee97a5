import { blocks, list } from '../inspect';
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
  if (a.enable_log_file_validation !== true)
    problems.push('enable_log_file_validation is not true');
  if (a.kms_key_id === undefined) problems.push('no kms_key_id');
  if (a.enable_logging === false) problems.push('logging is off');
  if (a.is_multi_region_trail !== true)
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
    const field = (name: string) => fields.filter((f) => f.field === name);
    const management = field('eventCategory').some((f) => list(f.equals).includes('Management'));
    const readsExcluded = field('readOnly').some(
      (f) => list(f.equals).includes('false') || list(f.not_equals).includes('true'),
    );
    const sourceExcluded = field('eventSource').some(
      (f) =>
        list(f.not_equals).includes(SECRETS_MANAGER) ||
        (list(f.equals).length > 0 && !list(f.equals).includes(SECRETS_MANAGER)),
    );
    return management && !readsExcluded && !sourceExcluded;
  });
  return viaBasic || viaAdvanced;
}
