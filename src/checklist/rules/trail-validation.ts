import { blocks, list } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 14: CloudTrail validates its log files, encrypts them and records Secrets Manager reads. */
export const trailValidation: ResourceRule = (resource) => {
  if (resource.type !== 'aws_cloudtrail') return notApplicable();
  const a = resource.attributes;
  const problems: string[] = [];
  if (a.enable_log_file_validation !== true)
    problems.push('enable_log_file_validation is not true');
  if (a.kms_key_id === undefined) problems.push('no kms_key_id');
  if (a.enable_logging === false) problems.push('logging is off');
  const selectors = [...blocks(a.event_selector), ...blocks(a.advanced_event_selector)];
  const recordsManagement =
    selectors.length === 0 ||
    blocks(a.event_selector).some(
      (s) => s.include_management_events !== false && s.read_write_type !== 'WriteOnly',
    );
  const secretsData = blocks(a.advanced_event_selector).some((s) =>
    blocks(s.field_selector).some(
      (f) => f.field === 'resources.type' && list(f.equals).includes('AWS::SecretsManager::Secret'),
    ),
  );
  if (!recordsManagement && !secretsData)
    problems.push('Secrets Manager reads (GetSecretValue) are not recorded');
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
