/** Rule metadata and the page each finding links to, for diagnostics and hovers (read once per server). */
import * as fs from 'fs';
import * as path from 'path';
import { allRuleMetas } from '../cli/modules';
import { docsUrlFor } from '../cli/package-info';
import type { RuleMeta } from '../engine/types';

export class RuleDocs {
  private metas: Map<string, RuleMeta> | undefined;
  private readonly urls = new Map<string, string | undefined>();

  metaOf(id: string): RuleMeta | undefined {
    this.metas ??= new Map(allRuleMetas().map((m) => [m.id, m]));
    return this.metas.get(id);
  }

  /** The rule's page: its docs path (parse findings share one page, one section each), as the CLI's formats link it. */
  docsUrl(id: string): string | undefined {
    if (this.urls.has(id)) return this.urls.get(id);
    let docs = this.metaOf(id)?.docs;
    if (!docs && /^[a-z0-9-]+$/.test(id)) {
      const { packageInfo } = require('../cli/package-info') as typeof import('../cli/package-info');
      if (fs.existsSync(path.join(packageInfo().root, 'docs', 'rules', `${id}.md`))) docs = `docs/rules/${id}.md`;
    }
    const url = docs ? docsUrlFor(docs) : undefined;
    this.urls.set(id, url);
    return url;
  }
}
