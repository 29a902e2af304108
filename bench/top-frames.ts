/**
 * Summarise a V8 CPU profile (`node --cpu-prof`) as the functions with the most self time, which is
 * what the benchmark report quotes when a goal is missed.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/child.js lint-deployment DIR
 *   node dist/bench/top-frames.js /tmp/prof/*.cpuprofile [N]   (self time, then inclusive time)
 *
 * Given several profiles (say 20 cold runs of the CLI), it reports the mean per profile.
 */
import * as fs from 'fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  frame: string;
  /** Time with this function at the top of the stack. */
  selfMs: number;
  /** Time with this function anywhere on the stack (counted once per sample). */
  totalMs: number;
  share: number;
}

function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

interface Times {
  self: Map<string, number>;
  inclusive: Map<string, number>;
  total: number;
}

function frameTimes(profile: CpuProfile, into: Times): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const { self, inclusive } = into;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    into.total += dt;
    if (!node) return;
    const key = frameKey(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = frameKey(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    }
  });
}

/**
 * Functions by self time (`by = 'self'`) or by inclusive time of project code (`by = 'total'`);
 * over several profiles, the mean per profile.
 */
export function topFrames(profiles: CpuProfile | CpuProfile[], n = 15, by: 'self' | 'total' = 'self'): FrameTime[] {
  const list = Array.isArray(profiles) ? profiles : [profiles];
  const times: Times = { self: new Map(), inclusive: new Map(), total: 0 };
  for (const p of list) frameTimes(p, times);
  const { self, inclusive, total } = times;
  const k = list.length || 1;
  const keys = by === 'self' ? [...self.keys()] : [...inclusive.keys()].filter((key) => key.includes('dist/'));
  return keys
    .map((frame) => ({ frame, selfMs: (self.get(frame) ?? 0) / k, totalMs: (inclusive.get(frame) ?? 0) / k, share: 0 }))
    .map((f) => ({ ...f, share: total ? ((by === 'self' ? f.selfMs : f.totalMs) * k) / total : 0 }))
    .sort((a, b) => (by === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs))
    .slice(0, n);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !/^\d+$/.test(a));
  const count = args.find((a) => /^\d+$/.test(a));
  const profiles = files.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  if (profiles.length > 1) process.stdout.write(`mean of ${profiles.length} profiles\n`);
  for (const by of ['self', 'total'] as const) {
    process.stdout.write(`by ${by} time${by === 'total' ? ' (project code)' : ''}:\n`);
    for (const f of topFrames(profiles, Number(count ?? 15), by)) {
      const ms = by === 'self' ? f.selfMs : f.totalMs;
      process.stdout.write(`${ms.toFixed(1).padStart(9)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.frame}\n`);
    }
  }
}
