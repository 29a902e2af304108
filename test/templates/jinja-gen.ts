/**
 * Random Jinja templates for the Jinja2 differential test (jinja-oracle.test.ts).
 */
export interface Info { conds: { v: string; neg: boolean }[]; loop?: string }

/** A random Jinja template, with what each control block tests, by the offset of its opening tag. */
export function generate(seed: number): { text: string; info: Map<number, Info> } {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s >> 8) % n;
  };
  const pick = <T>(xs: T[]): T => xs[rand(xs.length)];
  let text = '';
  const info = new Map<number, Info>();
  let loops = 0;
  const emit = (x: string) => {
    text += x;
  };
  const lead = () => pick(['', '', '', '  ', '\n', '\n  ']);
  const open = () => pick(['{%', '{%', '{%-', '{%+']);
  const close = () => pick(['%}', '%}', '-%}', '+%}']);
  const cond = (): { v: string; neg: boolean } => ({ v: `c${rand(4)}`, neg: rand(4) === 0 });
  const condText = (c: { v: string; neg: boolean }) => (c.neg ? `not ${c.v}` : c.v);
  const body = (depth: number) => {
    const n = 1 + rand(4);
    for (let i = 0; i < n; i++) item(depth);
  };
  const item = (depth: number) => {
    const k = rand(depth > 2 ? 5 : 9);
    emit(lead());
    switch (k) {
      case 0: emit(pick(['Listen 80\n', '  ServerName x\n', 'word ', '\n', '   ', 'a\tb\n'])); break;
      case 1: emit(`${pick(['{{', '{{-'])} e${rand(5)} ${pick(['}}', '-}}'])}${pick(['', '\n', ' tail\n'])}`); break;
      case 2: emit(`${pick(['{#', '{#-'])} note ${pick(['#}', '-#}'])}${pick(['', '\n'])}`); break;
      case 3: emit(`${open()} set z = 1 ${close()}${pick(['', '\n'])}`); break;
      case 4: emit(`${open()} raw ${pick(['%}', '-%}'])}{{ x }} {% y %}${open()} endraw ${close()}${pick(['', '\n'])}`); break; // Jinja has no `raw +%}`
      case 5: case 6: {
        const conds = [cond()];
        info.set(text.length, { conds });
        emit(`${open()} if ${condText(conds[0])} ${close()}${pick(['', '\n'])}`);
        body(depth + 1);
        for (let e = rand(3); e > 0; e--) {
          const c = cond();
          conds.push(c);
          emit(`${lead()}${open()} elif ${condText(c)} ${close()}${pick(['', '\n'])}`);
          body(depth + 1);
        }
        if (rand(2)) {
          emit(`${lead()}${open()} else ${close()}${pick(['', '\n'])}`);
          body(depth + 1);
        }
        emit(`${lead()}${open()} endif ${close()}${pick(['', '\n', '\n\n'])}`);
        break;
      }
      case 7: {
        const loop = `l${loops++}`;
        info.set(text.length, { conds: [], loop });
        emit(`${open()} for i in ${loop} ${close()}${pick(['', '\n'])}`);
        body(depth + 1);
        if (rand(2)) {
          emit(`${lead()}${open()} else ${close()}${pick(['', '\n'])}`);
          body(depth + 1);
        }
        emit(`${lead()}${open()} endfor ${close()}${pick(['', '\n'])}`);
        break;
      }
      default: emit(pick(['<VirtualHost *:80>\n', '</VirtualHost>\n', 'x ']));
    }
  };
  body(0);
  return { text, info };
}

