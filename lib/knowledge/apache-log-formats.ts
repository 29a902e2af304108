/**
 * mod_log_config's format nicknames (modules/loggers/mod_log_config.c, tag 2.4.62).
 *
 * `CustomLog FILE WORD`: the word is looked up as a nickname when the logs are opened, after the whole
 * config is read (open_multi_logs), in the table of the server the line is in: its own `LogFormat FMT
 * NAME` lines plus those at server scope (merge_config_log_state overlays them), whatever their order.
 * The lookup is an APR table's, so case-insensitive. A word that is no nickname is used as the format
 * string itself: without a `%` every line logged is that word.
 */

/** Built into mod_log_config (make_config_log_state): `CLF`, `%h %l %u %t "%r" %>s %b`. */
export const BUILTIN_LOG_FORMAT_NICKNAMES = ['CLF'] as const;

/** Defined by Debian's (and Ubuntu's) /etc/apache2/apache2.conf, at server scope. */
export const DEBIAN_LOG_FORMAT_NICKNAMES = ['vhost_combined', 'combined', 'common', 'referer', 'agent'] as const;
