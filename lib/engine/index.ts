/** What a rule needs from the engine: `defineRule()`, the message helpers, and the types. */
export { defineRule, type RuleSpec } from './define';
export { code, describeDirective, describeOption, describeRoute, listOf } from './describe';
export type { ReportDescriptor, Rule, RuleContext } from './types';
export {
  deleteLines, fileEol, indentOf, indentStep, inRootFile, insertLineAfter, insertLineBefore, insertLinesAfter, insertUwsgiOption, lineAround, lineOf,
  replaceAt, replaceUwsgiValue, replaceWithin, scopeSendclToRoute, sourceOf, uwsgiOptionClaim, uwsgiOptionLine, writtenDirective, type LineInfo,
} from './fix-edits';
