/**
 * The uWSGI ini parser: a lossless line tree (syntax.ts) over uWSGI's own line shapes (lines.ts).
 * Text in, tree out; no file is read here. Resolution (includes, magic variables, logic blocks,
 * placeholders, the option list uWSGI builds) is lib/resolve/uwsgi-ini.
 */
export { parseUwsgiIni, printUwsgiIni, printUwsgiIniBytes, decodeUwsgiIni, looksBinary } from './syntax';
export type {
  UwsgiIniDocument, UwsgiIniLine, UwsgiIniEntry, UwsgiIniSectionHeader, UwsgiIniComment, UwsgiIniBlank, UwsgiIniJunk,
  UwsgiIniLineKind, ParseUwsgiIniOptions,
} from './syntax';
