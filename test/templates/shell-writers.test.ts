/**
 * The shell-writer reader (lib/templates/shell): which lines of a script become which generated
 * config, how bash's quoting is taken off, where every rendered character comes from, which values
 * stay opaque, and how if/case branches become variants.
 */
import { readShellWriters, type GeneratedConfig } from '../../lib/templates/shell';
import { lexShell, literal } from '../../lib/templates/shell/lex';

function config(script: string, name: string): GeneratedConfig {
  const r = readShellWriters(script, { file: 'lib/x' });
  const c = r.configs.find((g) => g.name === name);
  if (!c) throw new Error(`no ${name} in ${r.configs.map((g) => g.name).join(', ')}`);
  return c;
}

/** The script text a rendered substring comes from (its first and last characters' sources). */
function sourceOf(c: GeneratedConfig, variant: number, rendered: string): string {
  const v = c.template.variants[variant];
  const at = v.text.indexOf(rendered);
  if (at < 0) throw new Error(`${rendered} not in ${v.text}`);
  const r = v.sourceRange(at, at + rendered.length);
  return c.template.source.slice(r.start, r.end);
}

const DEVSTACK_LIKE = `#!/bin/bash
function write_uwsgi_config {
    local conf=$1
    local wsgi=$2
    local url=$3
    local name=$4
    local socket_dir='/var/run/uwsgi'
    echo "d $socket_dir 0755 $STACK_USER root" | sudo tee /etc/tmpfiles.d/uwsgi.conf
    local socket="$socket_dir/\${name}.socket"
    rm -rf $conf
    if [[ "$wsgi" =~ ^[a-z.]+:[a-z_]+$ ]]; then
        iniset "$conf" uwsgi module "$wsgi"
    else
        iniset "$conf" uwsgi wsgi-file "$wsgi"
    fi
    iniset "$conf" uwsgi add-header "Connection: close"
    iniset "$conf" uwsgi hook-master-start 'unix_signal:15 gracefully_kill_them_all'
    iniset "$conf" uwsgi socket "$socket"
    iniset "$conf" uwsgi chmod-socket 666
    iniset $conf keystone_authtoken auth_type password
    echo "ProxyPass \\"\${url}\\" \\"unix:\${socket}|uwsgi://uwsgi-uds-\${name}\\" retry=0 " | sudo tee -a $apache_conf
}
`;

describe('what a script writes', () => {
  test('each function gives one config per file it writes: iniset section uwsgi only, Apache lines only when they are directives', () => {
    const r = readShellWriters(DEVSTACK_LIKE, { file: 'lib/x' });
    expect(r.problems).toEqual([]);
    expect(r.configs.map((c) => [c.name, c.kind, c.fileExpression])).toEqual([
      ['write_uwsgi_config.ini', 'uwsgi-ini', '"$conf"'],
      ['write_uwsgi_config.conf', 'apache', '$apache_conf'],
    ]);
  });

  test('the ini is [uwsgi] and key = value lines, quotes taken off as bash does', () => {
    const c = config(DEVSTACK_LIKE, 'write_uwsgi_config.ini');
    expect(c.template.variants[0].text).toBe([
      '[uwsgi]', 'module = _wsgi', 'add-header = Connection: close', 'hook-master-start = unix_signal:15 gracefully_kill_them_all',
      'socket = /var/run/uwsgi/__name_.socket', 'chmod-socket = 666', '',
    ].join('\n'));
  });

  test('the Apache lines are the echoed text, with \\" read as a quote', () => {
    const c = config(DEVSTACK_LIKE, 'write_uwsgi_config.conf');
    expect(c.template.variants[0].text).toBe('ProxyPass "__url_" "unix:/var/run/uwsgi/__name_.socket|uwsgi://uwsgi-uds-__name_" retry=0 \n');
  });

  test('every rendered key and value maps to its characters in the script; synthesized text has no source of its own', () => {
    const c = config(DEVSTACK_LIKE, 'write_uwsgi_config.ini');
    expect(sourceOf(c, 0, 'chmod-socket')).toBe('chmod-socket');
    expect(sourceOf(c, 0, 'Connection: close')).toBe('Connection: close');
    expect(sourceOf(c, 0, 'unix_signal:15 gracefully_kill_them_all')).toBe('unix_signal:15 gracefully_kill_them_all');
    // `[uwsgi]` stands at the section word of the first iniset
    expect(sourceOf(c, 0, 'uwsgi')).toBe('uwsgi');
    const v = c.template.variants[0];
    const line = (text: string) => c.template.lineIndex.position(v.sourceOffset(v.text.indexOf(text))).line;
    expect(line('chmod-socket')).toBe(19);
    expect(line('module')).toBe(12);
    // a key-to-value range covers the script from the key to the value
    const at = v.text.indexOf('chmod-socket = 666');
    const r = v.sourceRange(at, at + 'chmod-socket = 666'.length);
    expect(c.template.source.slice(r.start, r.end)).toBe('chmod-socket 666');
  });

  test('an escaped quote maps to the quote after the backslash', () => {
    const c = config(DEVSTACK_LIKE, 'write_uwsgi_config.conf');
    const v = c.template.variants[0];
    const q = v.text.indexOf('"');
    expect(c.template.source[v.sourceOffset(q)]).toBe('"');
    expect(c.template.source[v.sourceOffset(q) - 1]).toBe('\\');
  });

  test('expansions are opaque words (engine shell) except variables the function sets once to literal text', () => {
    const c = config(DEVSTACK_LIKE, 'write_uwsgi_config.ini');
    const v = c.template.variants[0];
    expect(v.spans.map((s) => [s.markup, s.engine])).toEqual([['$wsgi', 'shell'], ['${name}', 'shell']]);
    const socket = v.text.indexOf('/var/run/uwsgi/__name_.socket');
    // the socket path is read from `local socket_dir=...` and `local socket=...`: fixed text, with ${name} opaque
    expect(v.parts(socket, socket + '/var/run/uwsgi/__name_.socket'.length).map((p) => [p.text, p.templated])).toEqual([
      ['/var/run/uwsgi/', false], ['__name_', true], ['.socket', false],
    ]);
    // `$wsgi` is set from `$2`: no literal text, so it stays the variable's own opaque word
    expect(v.isTemplated(v.text.indexOf('_wsgi'), v.text.indexOf('_wsgi') + 5)).toBe(true);
  });

  test('a variable set twice, or in a branch, stays opaque', () => {
    const script = `f() {
  rm -f $c
  local port=8080
  if x; then port=9090; fi
  local dir=/run
  iniset $c uwsgi http-socket "127.0.0.1:$port"
  iniset $c uwsgi socket "$dir/a.sock"
}
g() {
  rm -f $c
  if y; then local d=/srv; fi
  iniset $c uwsgi chdir "$d"
}
`;
    expect(config(script, 'f.ini').template.variants[0].text).toBe('[uwsgi]\nhttp-socket = 127.0.0.1:_port\nsocket = /run/a.sock\n');
    expect(config(script, 'g.ini').template.variants[0].text).toBe('[uwsgi]\nchdir = _d\n');
  });

  test('iniset replaces an option in place; a write without -a starts the Apache file afresh', () => {
    const script = `f() {
  rm -f $c
  iniset $c uwsgi processes 2
  iniset $c uwsgi master true
  iniset $c uwsgi processes 4
  echo "Listen 8080" | sudo tee $a
  echo "KeepAlive Off" | sudo tee $a
  echo "SetEnv proxy-sendchunked 1" >> $a
}
`;
    expect(config(script, 'f.ini').template.variants[0].text).toBe('[uwsgi]\nprocesses = 4\nmaster = true\n');
    expect(config(script, 'f.conf').template.variants[0].text).toBe('KeepAlive Off\nSetEnv proxy-sendchunked 1\n');
  });

  test('an ini the function does not start (no rm or > of it before) adds to one written elsewhere: not read', () => {
    const script = `configure_nova() {
  write_uwsgi_config "$NOVA_UWSGI_CONF" "$NOVA_UWSGI" "/compute"
  iniset $NOVA_UWSGI_CONF uwsgi http-keepalive true
}
fresh() {
  iniset $c uwsgi master true
  rm -f $c
  iniset $c uwsgi module app.wsgi
}
`;
    expect(readShellWriters(script).configs.map((c) => c.name)).toEqual([]);
  });

  test('Apache lines that open a section they do not close, or close one they did not open, are part of a file written elsewhere: not read', () => {
    const script = `open() {
  echo "<VirtualHost *:80>" | sudo tee $site
}
body() {
  echo "ProxyPass / http://127.0.0.1:8080/" | sudo tee -a $site
  echo "</VirtualHost>" | sudo tee -a $site
}
`;
    expect(readShellWriters(script).configs.map((c) => c.name)).toEqual([]);
  });

  test('not configs: other sections, tmpfiles lines, heredoc bodies, comments, printf with directives', () => {
    const script = `#!/bin/bash
# iniset $c uwsgi master true
f() {
  iniset $c DEFAULT debug true
  echo "d /run/x 0755 stack root" | sudo tee /etc/tmpfiles.d/x.conf
  cat <<EOF | sudo tee $a
iniset $c uwsgi master true
echo "ProxyPass / http://x/" | tee $a
EOF
  printf "Listen %s\\n" 80 > $b
}
`;
    expect(readShellWriters(script).configs).toEqual([]);
  });

  test('echo -n joins lines, echo -e and printf read \\n, name() { and function name() { are functions', () => {
    const script = `a() {
  echo -n "Listen " >> $f
  echo "8080" >> $f
}
function b() {
  echo -e "KeepAlive Off\\nTimeout 60" > $f
  printf "ServerName x\\n" >> $f
}
`;
    expect(config(script, 'a.conf').template.variants[0].text).toBe('Listen 8080\n');
    expect(config(script, 'b.conf').template.variants[0].text).toBe('KeepAlive Off\nTimeout 60\nServerName x\n');
  });

  test('a line that starts with an expansion is a comment (it may stand for any directive or none)', () => {
    const c = config('f() {\n  echo "$EXTRA" | tee -a $a\n  echo "KeepAlive Off" | tee -a $a\n}\n', 'f.conf');
    expect(c.template.variants[0].text).toBe('#EXTRA\nKeepAlive Off\n');
    expect(c.template.variants[0].spans[0].standalone).toBe(true);
  });

  test('top-level writes are the `top` config; two files of one kind in a function are named apart', () => {
    const script = 'rm $a\niniset $a uwsgi master true\nf() {\n  rm -rf $a $b\n  iniset $a uwsgi master true\n  iniset $b uwsgi master true\n}\n';
    expect(readShellWriters(script).configs.map((c) => c.name)).toEqual(['top.ini', 'f.ini', 'f-2.ini']);
  });
});

describe('branches', () => {
  test('each branch is in a variant; the ini and the Apache lines of a function take the same branches', () => {
    const script = `w() {
  rm -rf $c
  if [[ -n "$http" ]]; then
    iniset $c uwsgi http $http
  else
    iniset $c uwsgi socket /run/a.sock
    echo "ProxyPass / unix:/run/a.sock|uwsgi://a/" | sudo tee -a $conf
  fi
}
`;
    const ini = config(script, 'w.ini');
    const conf = config(script, 'w.conf');
    expect(ini.template.variants.map((v) => v.text)).toEqual(['[uwsgi]\nhttp = _http\n', '[uwsgi]\nsocket = /run/a.sock\n']);
    // variant 1 writes both files; in variant 0 the Apache file is not written and reads as its one rendering
    expect(conf.template.variants.map((v) => v.text)).toEqual(['ProxyPass / unix:/run/a.sock|uwsgi://a/\n', 'ProxyPass / unix:/run/a.sock|uwsgi://a/\n']);
    expect(ini.template.variants[1].choices).toEqual([expect.objectContaining({ opening: 'if [[ -n "$http" ]]', alternative: 1, alternatives: 2, branchTag: expect.objectContaining({ text: 'else' }) })]);
  });

  test('elif chains, an if without else (the empty branch), case arms', () => {
    const script = `f() {
  : > $c
  if a; then iniset $c uwsgi processes 1
  elif b; then iniset $c uwsgi processes 2
  fi
  case $os in
    ubuntu) iniset $c uwsgi plugins python3 ;;
    *) iniset $c uwsgi plugins python ;;
  esac
}
`;
    const texts = config(script, 'f.ini').template.variants.map((v) => v.text);
    expect(texts).toEqual(expect.arrayContaining([
      expect.stringContaining('processes = 1'), expect.stringContaining('processes = 2'),
      expect.stringContaining('plugins = python3'), expect.stringContaining('plugins = python\n'),
    ]));
    expect(texts.some((t) => !t.includes('processes'))).toBe(true);
    expect(texts.every((t) => !(t.includes('processes = 1') && t.includes('processes = 2')))).toBe(true);
  });

  test('the same condition takes the same branch everywhere; `!` takes the other side', () => {
    const script = `f() {
  sudo truncate -s 0 $c
  if is_ubuntu; then iniset $c uwsgi plugins python3; fi
  if ! is_ubuntu; then iniset $c uwsgi plugins python; fi
  if is_ubuntu; then iniset $c uwsgi uid www-data; fi
}
`;
    for (const t of config(script, 'f.ini').template.variants.map((v) => v.text)) {
      expect(t.includes('python3')).toBe(t.includes('www-data'));
      expect(t.includes('python3')).toBe(!t.includes('plugins = python\n'));
    }
  });

  test('the template-variants budget caps the variants and says so', () => {
    const body = Array.from({ length: 12 }, (_, k) => `  if c${k}; then iniset $c uwsgi o${k} 1; else iniset $c uwsgi o${k} 2; fi`).join('\n');
    const r = readShellWriters(`f() {\n  rm -f $c\n${body}\n}\n`, { maxVariants: 1 });
    expect(r.configs[0].template.variants).toHaveLength(1);
    expect(r.problems).toEqual([expect.objectContaining({ ruleId: 'template-variants-capped', severity: 'info' })]);
  });
});

describe('the lexer', () => {
  test('words as bash reads them: quotes, escapes, expansions, comments, continuations', () => {
    const { tokens } = lexShell(`a "b c" 'd $e' f\\ g "\${h:-x}" $(i "j)") # k\nl \\\nm`);
    const words = tokens.filter((t) => t.t === 'word').map((t) => (t.t === 'word' ? t.word.parts.map((p) => (p.kind === 'lit' ? p.text : `<${p.markup}>`)).join('') : ''));
    expect(words).toEqual(['a', 'b c', 'd $e', 'f g', '<${h:-x}>', '<$(i "j)")>', 'l', 'm']);
    expect(literal(tokens[0].t === 'word' ? tokens[0].word : undefined)).toBe('a');
  });

  test('unclosed quotes and expansions run to the end of the text; nothing throws', () => {
    for (const text of ['echo "abc', "echo 'abc", 'echo $(abc', 'echo ${abc', 'echo `abc', 'cat <<EOF\nabc', '\\']) {
      expect(() => readShellWriters(text)).not.toThrow();
    }
  });
});
