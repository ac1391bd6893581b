import type * as TeamsSdk from '@microsoft/teams-js';

export type Theme = 'default' | 'dark' | 'contrast';

/** Where the page runs: inside Teams (single sign-on) or in a plain browser (local development). */
export interface Host {
  readonly inTeams: boolean;
  readonly locale: string | undefined;
  readonly theme: Theme;
  /** Who Teams says is signed in, to show at once; the server decides who the person is, from the token. */
  readonly userName?: string;
  /**
   * The order a deep link opened the tab on (an activity feed notification: `subEntityId` `order:<id>`; outside
   * Teams `?order=<id>`): the page shows it.
   */
  readonly orderId?: string;
  /** Why the page is not in Teams, for the page to say. */
  readonly outsideReason?: string;
  /** A Teams single sign-on token for this app; undefined outside Teams. */
  token(): Promise<string | undefined>;
  onThemeChange(handler: (theme: Theme) => void): void;
  /** Tells Teams the tab has loaded (ends its loading indicator). */
  loaded(): void;
}

declare global {
  interface Window {
    /** The teams-js browser bundle (/tab/teams-js.js) defines it. */
    microsoftTeams?: typeof TeamsSdk;
  }
}

/** Teams answers initialize within a moment; a page framed by anything else never gets an answer. */
const INITIALIZE_TIMEOUT_MS = 5000;

export function asTheme(value: string | null | undefined): Theme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

/** Connects to Teams with teams-js; outside Teams (initialize fails or times out) a plain browser host. */
export async function connectToHost(query: URLSearchParams): Promise<Host> {
  const sdk = window.microsoftTeams;
  if (!sdk) return browserHost(query, 'the Teams library did not load');
  try {
    await withTimeout(sdk.app.initialize(), INITIALIZE_TIMEOUT_MS);
  } catch (error) {
    return browserHost(query, error instanceof Error ? error.message : String(error));
  }
  const context = await sdk.app.getContext();
  return {
    inTeams: true,
    locale: context.app.locale || navigator.language,
    theme: asTheme(context.app.theme),
    userName: context.user?.displayName || context.user?.userPrincipalName || undefined,
    orderId: orderIdOf(context.page?.subPageId?.replace(/^order:/, '')),
    token: () => sdk.authentication.getAuthToken(),
    onThemeChange: (handler) => sdk.app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
    loaded: () => {
      sdk.app.notifySuccess();
    },
  };
}

/** Outside Teams: ?theme= and ?locale= stand in for the Teams context, and the system theme is followed. */
function browserHost(query: URLSearchParams, reason: string): Host {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)');
  const forced = window.matchMedia?.('(forced-colors: active)');
  const systemTheme = (): Theme => (forced?.matches ? 'contrast' : dark?.matches ? 'dark' : 'default');
  const asked = query.get('theme');
  return {
    inTeams: false,
    locale: query.get('locale') || navigator.language,
    theme: asked ? asTheme(asked) : systemTheme(),
    outsideReason: reason,
    orderId: orderIdOf(query.get('order')),
    token: async () => undefined,
    onThemeChange: (handler) => {
      if (asked) return;
      dark?.addEventListener('change', () => handler(systemTheme()));
      forced?.addEventListener('change', () => handler(systemTheme()));
    },
    loaded: () => undefined,
  };
}

/** An order id as the server makes them (a UUID); anything else is ignored. */
function orderIdOf(value: string | null | undefined): string | undefined {
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value
    : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Teams did not answer')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
