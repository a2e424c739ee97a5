import { block } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 11: the metadata service requires IMDSv2 tokens and stops at two hops (host and broker container). */
export const instanceImdsv2: ResourceRule = (resource) => {
  if (resource.type !== 'aws_instance' && resource.type !== 'aws_launch_template')
    return notApplicable();
  const m = block(resource.attributes.metadata_options);
  const problems: string[] = [];
  if (m.http_tokens !== 'required')
    problems.push(
      `metadata_options.http_tokens is ${JSON.stringify(m.http_tokens)}, so IMDSv1 answers any request`,
    );
  const hops = Number(m.http_put_response_hop_limit ?? 1);
  if (hops > 2)
    problems.push(
      `http_put_response_hop_limit ${hops} lets the metadata service answer beyond the host and one container hop`,
    );
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
