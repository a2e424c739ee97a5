import { block, launchTemplateOf } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Item 11: the metadata service requires IMDSv2 tokens and stops at two hops (host and broker
 * container). An instance that sets no metadata_options takes them from its launch template.
 */
export const instanceImdsv2: ResourceRule = (resource, stack) => {
  if (resource.type !== 'aws_instance' && resource.type !== 'aws_launch_template')
    return notApplicable();
  const template = launchTemplateOf(resource, stack);
  const own = resource.attributes.metadata_options;
  const m = block(own === undefined && template ? template.attributes.metadata_options : own);
  const from = own === undefined && template ? ` (from ${template.address})` : '';
  if ([m.http_tokens, m.http_put_response_hop_limit].some(isUnresolved))
    return undecidable('metadata_options are not known at synth time');
  const problems: string[] = [];
  if (m.http_tokens !== 'required')
    problems.push(
      `metadata_options.http_tokens is ${JSON.stringify(m.http_tokens)}${from}, so IMDSv1 answers any request`,
    );
  const hops = Number(m.http_put_response_hop_limit ?? 1);
  if (!(hops <= 2))
    problems.push(
      `http_put_response_hop_limit ${String(m.http_put_response_hop_limit)}${from} lets the metadata service answer beyond the host and one container hop`,
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
