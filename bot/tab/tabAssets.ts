import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PlainResponse } from '../server';
import type { Log } from '../services/ports';
import { pageHeaders } from './securityHeaders';

const HTML = 'text/html; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';
/** Module names the page's compiled scripts have (tab/src/*.ts): nothing else is looked up on disk. */
const SCRIPT = /^\/tab\/([a-z][A-Za-z0-9]{0,40})\.js$/;

/**
 * The tab's files: the page and its style sheet from tab/, its scripts as compiled from tab/src into dist/tab
 * (`tsc -p tab/tsconfig.json`), Microsoft's teams-js browser bundle and FormatJS's message formatter. Only names on this list are served,
 * so no request path ever reaches the file system.
 */
export class TabAssets {
  private readonly fixed: ReadonlyMap<string, { file: string; type: string }>;
  private warnedUnbuilt = false;

  constructor(
    private readonly root: string,
    private readonly log: Log,
  ) {
    const page = { file: join(root, 'tab', 'index.html'), type: HTML };
    this.fixed = new Map([
      ['/tab/', page],
      ['/tab/index.html', page],
      ['/tab/styles.css', { file: join(root, 'tab', 'styles.css'), type: CSS }],
      ['/tab/teams-js.js', { file: require.resolve('@microsoft/teams-js'), type: JAVASCRIPT }],
      // FormatJS's message formatter as one self-contained ES module (the package names it .iife.js, but it
      // exports): the page imports ./intl-messageformat.js to format its words (tab/src/i18n.ts).
      [
        '/tab/intl-messageformat.js',
        {
          file: join(dirname(require.resolve('intl-messageformat')), 'intl-messageformat.iife.js'),
          type: JAVASCRIPT,
        },
      ],
    ]);
  }

  async serve(path: string): Promise<PlainResponse> {
    const fixed = this.fixed.get(path);
    if (fixed) return this.file(fixed.file, fixed.type);
    const script = SCRIPT.exec(path);
    if (script) {
      const response = await this.file(join(this.root, 'dist', 'tab', `${script[1]}.js`), JAVASCRIPT);
      if (response.status === 404 && script[1] === 'app' && !this.warnedUnbuilt) {
        this.warnedUnbuilt = true;
        this.log.warn({ path }, 'the tab page script is not built: run npm run build');
      }
      return response;
    }
    return notFound();
  }

  private async file(file: string, type: string): Promise<PlainResponse> {
    try {
      return { status: 200, headers: pageHeaders(type), body: await readFile(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound();
      throw error;
    }
  }
}

function notFound(): PlainResponse {
  return { status: 404, headers: pageHeaders('text/plain; charset=utf-8'), body: 'Not found.' };
}

/** The directory holding package.json and tab/index.html: the same from bot/tab (ts-jest) and dist/bot/tab. */
export function tabProjectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tab', 'index.html'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`No project root (package.json with tab/index.html) above ${start}`);
  }
}
