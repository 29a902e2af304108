/**
 * The Apache parser: a lossless syntax tree (syntax.ts) over httpd's own lexing (lexer.ts). Text
 * in, tree out; no file is read here. Resolution (includes, variables, conditionals, macros and
 * httpd's start-up checks) is lib/resolve/apache.
 */
export { parseApacheConfig, printApacheConfig, printApacheConfigBytes, decodeConfigBytes } from './syntax';
export type {
  ApacheDocument,
  ApacheSyntaxNode,
  ApacheDirectiveNode,
  ApacheSectionNode,
  ApacheSectionOpen,
  ApacheSectionClose,
  ApacheCommentNode,
  ApacheBlankNode,
  ApacheStrayCloseNode,
  ApacheSyntaxWord,
} from './syntax';
