import { isGatewayContainer } from '../inspect';
import { compliant, nonCompliant, StackRule } from '../model';

/**
 * Item 16: a stack that runs gateways schedules a monthly security review (an EventBridge
 * Scheduler schedule or a CloudWatch event rule at most 31 days apart).
 */
export const monthlyReview: StackRule = (stack) => {
  const gateways = stack.resources.filter(
    (r) =>
      isGatewayContainer(r, stack) || (r.type === 'openclaw_config' && !r.address.includes(':')),
  );
  if (gateways.length === 0) return [];
  const scheduled = stack.resources.some((r) => {
    const expr = String(r.attributes.schedule_expression ?? '');
    if (r.type !== 'aws_scheduler_schedule' && r.type !== 'aws_cloudwatch_event_rule') return false;
    const rate = /^rate\((\d+) (day|days)\)$/.exec(expr);
    return (rate !== null && Number(rate[1]) <= 31) || /^cron\(/.test(expr);
  });
  return [
    {
      address: gateways[0].address,
      outcome: scheduled
        ? compliant()
        : nonCompliant('no monthly security review is scheduled in this stack'),
    },
  ];
};
