/** What a rule needs from the engine: `defineRule()`, the message helpers, and the types. */
export { defineRule, type RuleSpec } from './define';
export { code, describeDirective, describeOption, describeRoute, listOf } from './describe';
export type { ReportDescriptor, Rule, RuleContext } from './types';
