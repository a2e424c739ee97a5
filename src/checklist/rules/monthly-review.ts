import { isAtLeastMonthly } from '../../audit/review-schedule';
import { block, runsGateway } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  StackRule,
  TfResource,
  TfStack,
  undecidable,
} from '../model';

/**
 * Item 16: an app that runs gateways schedules a security review at least monthly (an enabled
 * EventBridge Scheduler schedule or CloudWatch event rule, in this stack or another stack of the
 * same app).
 */
export const monthlyReview: StackRule = (stack) => {
  const gateways = stack.resources.filter(
    (r) => runsGateway(r, stack) || (r.type === 'openclaw_config' && !r.address.includes(':')),
  );
  if (gateways.length === 0) return [];
  const schedules = [...stack.resources, ...stack.elsewhere].filter(
    (r) => r.type === 'aws_scheduler_schedule' || r.type === 'aws_cloudwatch_event_rule',
  );
  const monthly = schedules.filter(
    (r) =>
      isAtLeastMonthly(String(r.attributes.schedule_expression ?? '')) &&
      enabled(r) &&
      isReview(r, stack),
  );
  const details =
    schedules.length === 0
      ? 'no security review is scheduled in this app'
      : `no enabled review schedule runs every month (${schedules.map((r) => `${r.address}: ${String(r.attributes.schedule_expression ?? 'no expression')}${enabled(r) ? '' : ', disabled'}${isReview(r, stack) ? '' : ', not a review (no target, or no SNS target and no "review" in its name)'}`).join('; ')})`;
  const unresolved = schedules.filter(
    (r) => isUnresolved(r.attributes.schedule_expression) || isUnresolved(r.attributes.state),
  );
  return [
    {
      address: gateways[0].address,
      outcome:
        monthly.length > 0
          ? compliant()
          : unresolved.length > 0
            ? undecidable(
                `the schedule of ${unresolved.map((r) => r.address).join(', ')} is not known at synth time`,
              )
            : nonCompliant(details),
    },
  ];
};

/**
 * A schedule counts as the review when it notifies people (a Scheduler target on an SNS topic) or
 * says so in its name or description; an unrelated `rate(5 minutes)` job does not.
 */
function isReview(r: TfResource, stack: TfStack): boolean {
  const said = `${String(r.attributes.name ?? '')} ${String(r.attributes.description ?? '')}`;
  // a review nobody hears of is no review: it needs a target (a Scheduler target, or an
  // aws_cloudwatch_event_target on the rule)
  const targets =
    r.type === 'aws_scheduler_schedule'
      ? [String(block(r.attributes.target).arn ?? '')].filter((t) => t !== '')
      : [...stack.resources, ...stack.elsewhere]
          .filter(
            (t) =>
              t.type === 'aws_cloudwatch_event_target' &&
              (String(t.attributes.rule).includes(`${r.address.split('/').pop()}.`) ||
                t.attributes.rule === r.attributes.name),
          )
          .map((t) => String(t.attributes.arn ?? ''));
  if (targets.length === 0) return false;
  return /review/i.test(said) || targets.some((t) => /:sns:|aws_sns_topic\./.test(t));
}

function enabled(r: TfResource): boolean {
  const state = r.attributes.state;
  if (r.type === 'aws_scheduler_schedule') return state === undefined || state === 'ENABLED';
  return (
    (state === undefined || String(state).startsWith('ENABLED')) &&
    r.attributes.is_enabled !== false
  );
}
