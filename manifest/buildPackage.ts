import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import AdmZip from 'adm-zip';
import { ConfigError } from '../bot/config';
import { decodePng, readPngSize } from './png';
import { projectRoot } from './projectRoot';

/** What the package depends on; the CLI reads them from MicrosoftAppId, BOT_DOMAIN and APP_VERSION. */
export interface PackageSettings {
  /** The bot's Microsoft App ID (Entra app registration), also used as the Teams app id and for SSO. */
  readonly appId: string;
  /** Host name the bot, the tab and the SSO resource are served from, e.g. licensedesk.contoso.com. */
  readonly botDomain: string;
  /** The Teams app version, MAJOR.MINOR.PATCH; Teams needs a higher one for every update of the package. */
  readonly version: string;
}

/** A manifest as JSON: validated as raw JSON because the library's typed reader converts before it checks. */
export type ManifestJson = { [key: string]: unknown };

/** The schema or our own checks found problems: the package is not written. */
export class ManifestProblemsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app manifest has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'ManifestProblemsError';
  }
}

/** The files at the root of the package besides the language files (one per localizationInfo.additionalLanguages). */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;
/** Where the language files are kept (manifest/languages/de.json); in the package they are at the root. */
export const LANGUAGE_DIR = 'languages';
export const DEFAULT_PACKAGE_PATH = join('dist', 'license-desk-teams-app.zip');

/** Sizes Teams requires; the schema does not check them. */
const ICON_SIZES = { color: 192, outline: 32 } as const;
/** Teams shows at most 32 characters of a bot command title; newer schemas no longer enforce it. */
const MAX_COMMAND_TITLE = 32;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
/** MAJOR.MINOR.PATCH without pre-release or build parts: what the Teams schema's own semver pattern allows. */
const APP_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/v(\d+\.\d+)\//i;

function manifestDir(): string {
  return join(projectRoot(), 'manifest');
}

function languageDir(): string {
  return join(manifestDir(), LANGUAGE_DIR);
}

/**
 * The manifest template with its {{PLACEHOLDERS}} filled from the settings.
 * @throws ConfigError naming the setting (MicrosoftAppId, BOT_DOMAIN or APP_VERSION) that is missing or malformed.
 */
export function renderManifest(settings: PackageSettings): ManifestJson {
  checkSettings(settings);
  const values: Readonly<Record<string, string>> = {
    MICROSOFT_APP_ID: settings.appId,
    BOT_DOMAIN: settings.botDomain,
    APP_VERSION: settings.version,
  };
  const template: unknown = JSON.parse(readFileSync(join(manifestDir(), 'manifest.template.json'), 'utf8'));
  // Filling parsed strings rather than the file's text: a value can never break the JSON around it.
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined)
          throw new Error(`manifest.template.json uses an unknown placeholder ${whole}`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (isObject(node))
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    return node;
  };
  return fill(template) as ManifestJson;
}

function checkSettings({ appId, botDomain, version }: PackageSettings): void {
  if (!appId) throw new ConfigError('MicrosoftAppId', "is required: the bot's Microsoft App ID (a GUID)");
  if (!GUID.test(appId)) {
    throw new ConfigError('MicrosoftAppId', `must be the bot's Microsoft App ID (a GUID), got "${appId}"`);
  }
  if (!botDomain) {
    throw new ConfigError(
      'BOT_DOMAIN',
      'is required: the host name the bot is reached at, e.g. bot.contoso.com',
    );
  }
  if (!HOST_NAME.test(botDomain)) {
    throw new ConfigError(
      'BOT_DOMAIN',
      `must be a bare host name such as bot.contoso.com (no https://, port or path), got "${botDomain}"`,
    );
  }
  if (!APP_VERSION.test(version)) {
    throw new ConfigError(
      'APP_VERSION',
      `must be a version MAJOR.MINOR.PATCH such as 1.0.0, got "${version}"`,
    );
  }
}

/**
 * Everything wrong with a manifest: Microsoft's JSON schema (bundled, offline) plus what the schema does not check
 * (semver version, icon files and sizes, outline icon colours, command title length, unfilled placeholders), and
 * each language file against Microsoft's localization schema (README: Languages).
 * An empty list means the package can be built.
 * @param iconDir where the icon files named in the manifest are; defaults to manifest/.
 * @param languagesDir where the language files named in localizationInfo are; defaults to manifest/languages/.
 */
export async function validateManifest(
  manifest: ManifestJson,
  iconDir: string = manifestDir(),
  languagesDir: string = languageDir(),
): Promise<string[]> {
  const problems = [...unfilledPlaceholders(manifest), ...(await schemaProblems(manifest))];
  if (typeof manifest.version === 'string' && !APP_VERSION.test(manifest.version)) {
    problems.push(`/version must be MAJOR.MINOR.PATCH (semver, numbers only), got "${manifest.version}"`);
  }
  problems.push(...iconProblems(manifest, iconDir), ...commandProblems(manifest));
  problems.push(...(await languageProblems(manifest, languagesDir)));
  return problems;
}

/**
 * Renders, validates and writes the Teams app package: a zip with exactly manifest.json, color.png, outline.png
 * and the language files (de.json, fr.json, …) at its root. Returns the absolute path of the zip.
 * @throws ConfigError for a bad setting, ManifestProblemsError when the manifest does not validate.
 */
export async function buildPackage(settings: PackageSettings, outFile: string): Promise<string> {
  const manifest = renderManifest(settings);
  const dir = manifestDir();
  const problems = await validateManifest(manifest, dir);
  if (problems.length > 0) throw new ManifestProblemsError(problems);
  const icons = manifest.icons as { color: string; outline: string };

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  zip.addFile('color.png', readFileSync(join(dir, icons.color)));
  zip.addFile('outline.png', readFileSync(join(dir, icons.outline)));
  for (const { file } of additionalLanguages(manifest))
    zip.addFile(file, readFileSync(join(languageDir(), file)));
  const path = resolve(outFile);
  mkdirSync(dirname(path), { recursive: true });
  await zip.writeZipPromise(path, { overwrite: true });
  return path;
}

interface AdditionalLanguage {
  readonly languageTag: string;
  readonly file: string;
}

function additionalLanguages(manifest: ManifestJson): AdditionalLanguage[] {
  const info = manifest.localizationInfo;
  const languages = isObject(info) && Array.isArray(info.additionalLanguages) ? info.additionalLanguages : [];
  return languages.filter(
    (l: unknown): l is AdditionalLanguage =>
      isObject(l) && typeof l.languageTag === 'string' && typeof l.file === 'string',
  );
}

/**
 * Each language file: a .json at the package root, valid against the localization schema of the manifest's
 * version (bundled, offline), naming only texts the manifest has, its activity templates with the same
 * {parameters} as the English ones (the bot fills those by name).
 */
async function languageProblems(manifest: ManifestJson, languagesDir: string): Promise<string[]> {
  const problems: string[] = [];
  const version = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : '';
  const languages = additionalLanguages(manifest);
  if (languages.length === 0) return [];
  const schema = localizationSchema(version);
  if (schema === undefined)
    return [`no localization schema v${version} is bundled with @microsoft/app-manifest`];
  for (const { languageTag, file } of languages) {
    const where = `/localizationInfo/additionalLanguages (${languageTag})`;
    if (!/^[\w.-]+\.json$/i.test(file)) {
      problems.push(`${where} must name a .json file at the package root, got "${file}"`);
      continue;
    }
    const path = join(languagesDir, file);
    if (!existsSync(path)) {
      problems.push(`${where}: ${path} does not exist`);
      continue;
    }
    let strings: unknown;
    try {
      strings = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      problems.push(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const schemaErrors = await AppManifestUtils.validateAgainstSchema(
      strings as unknown as AppManifest,
      schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
    );
    problems.push(...schemaErrors.map((error) => `${file}: ${error}`));
    if (!isObject(strings)) continue;
    for (const [key, text] of Object.entries(strings)) {
      if (key === '$schema' || key.startsWith('name.') || key.startsWith('description.')) continue;
      const english = valueAt(manifest, key);
      if (typeof english !== 'string') {
        problems.push(`${file}: "${key}" names no text of the manifest`);
        continue;
      }
      if (key.endsWith('.templateText') && typeof text === 'string') {
        const parameters = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        if (parameters(text).join() !== parameters(english).join())
          problems.push(`${file}: "${key}" must use the parameters {${parameters(english).join('}, {')}}`);
      }
    }
  }
  return problems;
}

/**
 * Microsoft's localization schema of a manifest version (bundled, offline) as the validator can compile it: its
 * activity-type key patterns hold a bare `]` (`…\b]\.description$`), which JavaScript refuses in a Unicode
 * regular expression; it is escaped, nothing else changes. Undefined when that version is not bundled.
 */
export function localizationSchema(version: string): unknown {
  const file = join(
    dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.Localization.schema.json',
  );
  if (!existsSync(file)) return undefined;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { patternProperties?: Record<string, unknown> };
  if (schema.patternProperties)
    schema.patternProperties = Object.fromEntries(
      Object.entries(schema.patternProperties).map(([pattern, rule]) => [
        pattern.split('\\b]').join('\\b\\]'),
        rule,
      ]),
    );
  return schema;
}

/** The value at a localization key's path: `bots[0].commandLists[1].commands[2].title`. */
function valueAt(manifest: ManifestJson, key: string): unknown {
  let node: unknown = manifest;
  for (const part of key.split('.')) {
    const match = /^(\w+)((?:\[\d+\])*)$/.exec(part);
    if (!match || !isObject(node)) return undefined;
    node = node[match[1]];
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) {
      if (!Array.isArray(node)) return undefined;
      node = node[Number(index[1])];
    }
  }
  return node;
}

function unfilledPlaceholders(manifest: ManifestJson): string[] {
  const names = new Set([...JSON.stringify(manifest).matchAll(PLACEHOLDER)].map((match) => match[0]));
  return [...names].map((name) => `placeholder ${name} is not filled`);
}

async function schemaProblems(manifest: ManifestJson): Promise<string[]> {
  const schemaUrl = manifest.$schema;
  const schemaVersion = typeof schemaUrl === 'string' ? SCHEMA_URL.exec(schemaUrl)?.[1] : undefined;
  if (schemaVersion === undefined) {
    return [
      '/$schema must be a Teams manifest schema URL (https://developer.microsoft.com/json-schemas/teams/v…)',
    ];
  }
  const problems: string[] = [];
  if (manifest.manifestVersion !== schemaVersion) {
    problems.push(`/manifestVersion must be ${schemaVersion}, the version of $schema`);
  }
  // The library fetches schemas it does not bundle from the web; a build must not depend on the network.
  const bundled = join(
    dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${schemaVersion}`,
    'MicrosoftTeams.schema.json',
  );
  if (!existsSync(bundled)) {
    return [
      ...problems,
      `/$schema v${schemaVersion} is not bundled with @microsoft/app-manifest: pick another`,
    ];
  }
  try {
    // Raw JSON on purpose: validateAgainstSchema only reads it, and its AppManifest type is the converted form.
    return [
      ...problems,
      ...(await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest)),
    ];
  } catch (error) {
    return [
      ...problems,
      `schema validation failed: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

function iconProblems(manifest: ManifestJson, iconDir: string): string[] {
  if (!isObject(manifest.icons)) return [];
  const problems: string[] = [];
  for (const kind of ['color', 'outline'] as const) {
    const file = manifest.icons[kind];
    if (typeof file !== 'string') continue; // the schema reports it
    const where = `/icons/${kind}`;
    if (!/^[\w.-]+\.png$/i.test(file)) {
      problems.push(`${where} must name a .png file at the package root, got "${file}"`);
      continue;
    }
    const path = join(iconDir, file);
    if (!existsSync(path)) {
      problems.push(`${where}: ${path} does not exist`);
      continue;
    }
    const png = readFileSync(path);
    const size = readPngSize(png);
    const wanted = ICON_SIZES[kind];
    if (!size) {
      problems.push(`${where}: ${file} is not a PNG file`);
      continue;
    }
    if (size.width !== wanted || size.height !== wanted) {
      problems.push(`${where}: ${file} must be ${wanted}x${wanted} pixels, is ${size.width}x${size.height}`);
    }
    if (kind === 'outline') problems.push(...outlineColourProblems(png, where, file));
  }
  return problems;
}

/** Teams draws the outline icon as a mask: only white, on a transparent background. */
function outlineColourProblems(png: Buffer, where: string, file: string): string[] {
  const image = decodePng(png);
  if (!image) return []; // a PNG variant decodePng does not read: the size check above still applies
  let transparent = 0;
  let visible = 0;
  let coloured = 0;
  for (let i = 0; i < image.rgba.length; i += 4) {
    const [r, g, b, alpha] = image.rgba.subarray(i, i + 4);
    if (alpha === 0) transparent++;
    else if (r === 255 && g === 255 && b === 255) visible++;
    else coloured++;
  }
  const problems: string[] = [];
  if (coloured > 0)
    problems.push(`${where}: ${file} has ${coloured} pixel(s) that are neither white nor transparent`);
  if (transparent === 0) problems.push(`${where}: ${file} must have a transparent background`);
  if (visible === 0 && coloured === 0)
    problems.push(`${where}: ${file} has no white pixels: the icon is empty`);
  return problems;
}

function commandProblems(manifest: ManifestJson): string[] {
  const problems: string[] = [];
  const bots = Array.isArray(manifest.bots) ? manifest.bots : [];
  bots.forEach((bot: unknown, b) => {
    const lists = isObject(bot) && Array.isArray(bot.commandLists) ? bot.commandLists : [];
    lists.forEach((list: unknown, l) => {
      const commands = isObject(list) && Array.isArray(list.commands) ? list.commands : [];
      commands.forEach((command: unknown, c) => {
        const title = isObject(command) ? command.title : undefined;
        if (typeof title === 'string' && title.length > MAX_COMMAND_TITLE) {
          problems.push(
            `/bots/${b}/commandLists/${l}/commands/${c}/title must be at most ${MAX_COMMAND_TITLE} characters`,
          );
        }
      });
    });
  });
  return problems;
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPackageVersion(root: string): string {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return isObject(pkg) && typeof pkg.version === 'string' ? pkg.version : '';
}

/** `node dist/manifest/buildPackage.js`: settings from the environment (and .env), the zip in dist/. */
async function main(): Promise<number> {
  const root = projectRoot();
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const setting = (name: string): string => (process.env[name] ?? '').trim();
  const settings: PackageSettings = {
    appId: setting('MicrosoftAppId'),
    botDomain: setting('BOT_DOMAIN'),
    version: setting('APP_VERSION') || readPackageVersion(root),
  };
  try {
    const path = await buildPackage(settings, join(root, DEFAULT_PACKAGE_PATH));
    process.stdout.write(`${path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ManifestProblemsError) {
      process.stderr.write(`Cannot build the Teams app package. ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `Cannot build the Teams app package: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
