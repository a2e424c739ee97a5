import { MIN_AUDIT_RETENTION_DAYS } from '../../audit/retention';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Item 14: log groups keep logs at least a year and encrypt them with a customer-managed key. */
export const logGroupRetentionKms: ResourceRule = (resource) => {
  if (resource.type !== 'aws_cloudwatch_log_group') return notApplicable();
  const problems: string[] = [];
  const retention = resource.attributes.retention_in_days;
  if (isUnresolved(retention)) return undecidable('retention_in_days is not known at synth time');
  // no retention at all is refused too: a log group needs a deliberate, bounded retention
  if (retention === undefined || Number(retention) === 0)
    problems.push('no retention_in_days, so logs are kept forever');
  else if (Number(retention) < MIN_AUDIT_RETENTION_DAYS)
    problems.push(
      `retention_in_days ${String(retention)} keeps logs less than ${MIN_AUDIT_RETENTION_DAYS} days`,
    );
  if (resource.attributes.kms_key_id === undefined) problems.push('no kms_key_id');
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
