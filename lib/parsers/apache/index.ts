export * from './types';
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
export { resolveApacheConfig, compareVersions, normalizeModuleId, DEFAULT_HTTPD_VERSION } from './resolve';
export { dumpApacheConfig, dumpApacheIncludes } from './dump';
export { parseDebianEnvvars } from './envvars';
export { parseApacheFile } from './file';
