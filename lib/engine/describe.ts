/**
 * How messages name what they are about, the same way in every rule: the line as written, in
 * backticks. A message says what is wrong, then what to do, one sentence each; the detail belongs
 * in the rule's docs page.
 */
import type { ProxyRoute, ResolvedDirective, ResolvedUwsgiOption } from '../model/types';

/** `text` in backticks. */
export function code(text: string): string {
  return `\`${text}\``;
}

/** A proxy route as written: `ProxyPass /image http://127.0.0.1:60999/`. */
export function describeRoute(route: ProxyRoute): string {
  return code(`${route.via} ${route.path} ${route.url}`);
}

/** An Apache directive as written: `SetEnv proxy-sendcl 1`. */
export function describeDirective(directive: ResolvedDirective): string {
  return code([directive.name, ...directive.args.map((a) => a.raw)].join(' '));
}

/** A uWSGI option as uWSGI reads it: `key = value` (a bare key alone), or with another value. */
export function describeOption(option: ResolvedUwsgiOption, value: string = option.value): string {
  return code(option.bare && value === option.value ? option.key : `${option.key} = ${value}`);
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
