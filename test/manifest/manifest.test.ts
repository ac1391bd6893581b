import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import AdmZip from 'adm-zip';
import {
  buildPackage,
  LANGUAGE_DIR,
  localizationSchema,
  type ManifestJson,
  ManifestProblemsError,
  PACKAGE_FILES,
  type PackageSettings,
  renderManifest,
  validateManifest,
} from '../../manifest/buildPackage';
import { decodePng, encodePng, readPngSize } from '../../manifest/png';
import { projectRoot } from '../../manifest/projectRoot';
import { COMMAND_WORDS } from '../../bot/domain/commandWords';
import { money } from '../../bot/domain/money';
import type { Language } from '../../bot/i18n';
import type { Order } from '../../bot/domain/order';
import { ACTIVITY_TYPES } from '../../bot/services/orderMessages';
import { LICENSES_TAB_ENTITY_ID } from '../../bot/teams/activityFeedDelivery';
import { activityFeedText } from '../../bot/teams/presenters/activityFeedText';

const SETTINGS: PackageSettings = {
  appId: '3f2b8c1e-7a4d-4e9b-9c61-2d5f0a8b7e34',
  botDomain: 'licensedesk.contoso.com',
  version: '1.4.2',
};
const ROOT = projectRoot();
const MANIFEST_DIR = join(ROOT, 'manifest');
const COMMANDS = ['buy licenses', 'remove licenses', 'licenses', 'orders', 'access', 'away', 'help'];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

interface Command {
  title: string;
  description?: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Bot {
  botId?: string;
  scopes: string[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: CommandList[];
}
interface StaticTab {
  entityId: string;
  name?: string;
  contentUrl?: string;
  scopes: string[];
}

const bots = (manifest: ManifestJson) => manifest.bots as Bot[];
const staticTabs = (manifest: ManifestJson) => manifest.staticTabs as StaticTab[];

let tempDir: string;
beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'license-desk-manifest-'));
});
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('the rendered manifest', () => {
  it("passes Microsoft's schema (bundled in @microsoft/app-manifest) and our own checks", async () => {
    const manifest = renderManifest(SETTINGS);

    expect(await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest)).toEqual([]);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('uses a bundled manifest schema of version 1.17 or newer, matching manifestVersion', () => {
    const manifest = renderManifest(SETTINGS);
    const version = /\/teams\/v(\d+)\.(\d+)\//.exec(String(manifest.$schema));

    expect(version).not.toBeNull();
    expect(Number(version?.[1]) * 100 + Number(version?.[2])).toBeGreaterThanOrEqual(117);
    expect(manifest.manifestVersion).toBe(`${version?.[1]}.${version?.[2]}`);
  });

  it('fills every placeholder from the settings', () => {
    const manifest = renderManifest(SETTINGS);
    const text = JSON.stringify(manifest);

    expect(text).not.toContain('{{');
    expect(manifest.id).toBe(SETTINGS.appId);
    expect(bots(manifest)[0].botId).toBe(SETTINGS.appId);
    expect(manifest.webApplicationInfo).toEqual({
      id: SETTINGS.appId,
      resource: `api://licensedesk.contoso.com/${SETTINGS.appId}`,
    });
    expect(manifest.validDomains).toEqual(['licensedesk.contoso.com']);
    expect(manifest.version).toBe('1.4.2');
  });

  it('names the app and its developer, with https links on the bot domain', () => {
    const manifest = renderManifest(SETTINGS);
    const developer = manifest.developer as Record<string, string>;
    const description = manifest.description as { short: string; full: string };

    expect(manifest.name).toEqual({ short: 'License Desk', full: 'License Desk: Microsoft 365 licenses' });
    expect(developer.name).toBe('License Desk');
    for (const url of [developer.websiteUrl, developer.privacyUrl, developer.termsOfUseUrl]) {
      expect(url).toMatch(/^https:\/\/licensedesk\.contoso\.com\//);
    }
    expect(description.short.length).toBeLessThanOrEqual(80);
    expect(description.full.length).toBeLessThanOrEqual(4000);
    expect(description.full).toMatch(/Licenses Manager/);
    expect(manifest.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('declares a conversational bot for personal chat, teams and group chats', () => {
    const [bot, ...others] = bots(renderManifest(SETTINGS));

    expect(others).toEqual([]);
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it.each(['personal', 'team', 'groupChat'])(
    'lists every command with a description in the %s scope',
    (scope) => {
      const lists = bots(renderManifest(SETTINGS))[0].commandLists.filter((list) =>
        list.scopes.includes(scope),
      );

      expect(lists).toHaveLength(1);
      const commands = lists[0].commands;
      expect(commands.map((command) => command.title)).toEqual(COMMANDS);
      for (const command of commands) {
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description?.length).toBeGreaterThan(0);
      }
    },
  );

  it('pins the Licenses tab in personal scope, served from the bot domain', () => {
    const tab = staticTabs(renderManifest(SETTINGS)).find((t) => t.entityId === 'licenses');

    expect(tab).toMatchObject({
      name: 'Licenses',
      contentUrl: 'https://licensedesk.contoso.com/tab/',
      scopes: ['personal'],
    });
    // Where an activity feed notification leads (bot/teams/activityFeedDelivery.ts).
    expect(LICENSES_TAB_ENTITY_ID).toBe('licenses');
  });

  it("declares every activity feed type the bot sends, each template's {parameters} exactly those it fills", () => {
    const declared = (
      renderManifest(SETTINGS).activities as {
        activityTypes: Array<{ type: string; description: string; templateText: string }>;
      }
    ).activityTypes;
    expect(declared.map((a) => a.type).sort()).toEqual(Object.values(ACTIVITY_TYPES).sort());

    const waiting: Order = {
      id: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
      number: 1001,
      version: 2,
      licenseRequest: null,
      idempotencyKey: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      subscriptionId: 'sub',
      product: 'Office 365 E3',
      domain: 'contoso.com',
      plan: 'ANNUAL',
      billingProfileId: 'contoso-hq',
      billingProfileName: 'Contoso HQ',
      requester: { id: 'alex', name: 'Alex Wilber' },
      tenantId: 't',
      kind: 'increase',
      expectedQuantity: 120,
      targetQuantity: 150,
      pricePerSeat: money(2300, 'USD'),
      timing: 'now',
      scheduledBefore: null,
      renewalDate: null,
      restoreKey: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      needsApprover: true,
      state: 'pending_approval',
      decidedBy: null,
      decidedAt: null,
      outcome: null,
      note: null,
      createdAt: new Date('2026-11-26T09:00:00Z'),
      updatedAt: new Date('2026-11-26T10:00:00Z'),
      expiresAt: new Date('2026-12-03T09:00:00Z'),
      approvalRequestedAt: new Date('2026-11-26T10:00:00Z'),
      approvalStep: 0,
      approvalStepAt: null,
      approvalsRequired: 1,
      approvals: [],
      reassignments: [],
    };
    const rejected: Order = {
      ...waiting,
      state: 'rejected',
      decidedBy: { id: 'megan', name: 'Megan Bowen' },
      note: 'Not this quarter',
    };
    for (const { type, templateText } of declared) {
      const order = type === ACTIVITY_TYPES.orderOutcome ? rejected : waiting;
      const text = activityFeedText(order, type, 'pending_approval', { locale: 'en-US' });
      const used = [...templateText.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect({ type, parameters: Object.keys(text?.templateParameters ?? {}).sort() }).toEqual({
        type,
        parameters: used,
      });
    }
  });
});

const LANGUAGE_FILES = ['de.json', 'fr.json', 'es.json', 'ja.json'];

describe('the manifest in other languages (README: Languages)', () => {
  const manifest = renderManifest(SETTINGS);
  const languageFile = (file: string) =>
    JSON.parse(readFileSync(join(MANIFEST_DIR, LANGUAGE_DIR, file), 'utf8')) as Record<string, string>;

  it('declares English (en-us) as the default and German, French, Spanish and Japanese, one file each', () => {
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [
        { languageTag: 'de', file: 'de.json' },
        { languageTag: 'fr', file: 'fr.json' },
        { languageTag: 'es', file: 'es.json' },
        { languageTag: 'ja', file: 'ja.json' },
      ],
    });
  });

  it.each(LANGUAGE_FILES)(
    "%s: valid against Microsoft's localization schema, translating the names, descriptions, the tab, the command descriptions and the activity feed",
    async (file) => {
      const strings = languageFile(file);
      const schema = localizationSchema('1.20') as Parameters<
        typeof AppManifestUtils.validateAgainstSchema
      >[1];
      expect(await AppManifestUtils.validateAgainstSchema(strings as unknown as AppManifest, schema)).toEqual(
        [],
      );
      expect(strings['name.short']).toBe('License Desk');
      const translatable = [
        'name.full',
        'description.short',
        'description.full',
        'staticTabs[1].name',
        ...[0, 1, 2].flatMap((l) =>
          COMMANDS.flatMap((_, c) => [
            `bots[0].commandLists[${l}].commands[${c}].title`,
            `bots[0].commandLists[${l}].commands[${c}].description`,
          ]),
        ),
        ...[0, 1, 2, 3, 4].flatMap((i) => [
          `activities.activityTypes[${i}].description`,
          `activities.activityTypes[${i}].templateText`,
        ]),
      ];
      expect(Object.keys(strings).sort()).toEqual(['$schema', 'name.short', ...translatable].sort());
      const english = manifest as {
        name: { full: string };
        description: { short: string; full: string };
        staticTabs: { name?: string }[];
        activities: { activityTypes: { description: string; templateText: string }[] };
      };
      expect([
        strings['name.full'] === english.name.full,
        strings['description.short'] === english.description.short,
        strings['description.full'] === english.description.full,
        strings['staticTabs[1].name'] === english.staticTabs[1].name,
        strings['activities.activityTypes[0].templateText'] ===
          english.activities.activityTypes[0].templateText,
      ]).toEqual([false, false, false, false, false]);
      expect(strings['description.full']).toContain('License Desk');
    },
  );

  it.each(LANGUAGE_FILES)(
    '%s: each command title in the menu is what the bot understands in that language',
    (file) => {
      const strings = languageFile(file);
      const words = COMMAND_WORDS[file.replace('.json', '') as Language];
      const understood = [
        words.buy,
        words.remove,
        words.licenses[0],
        words.orders[0],
        words.access[0],
        words.away,
        words.help[0],
      ];
      for (const l of [0, 1, 2])
        expect(
          COMMANDS.map((_, c) => strings[`bots[0].commandLists[${l}].commands[${c}].title`]?.toLowerCase()),
        ).toEqual(understood);
    },
  );

  it('the package builder checks each language file: the schema, keys naming real texts, template parameters', async () => {
    const dir = mkdtempSync(join(tempDir, 'languages-'));
    for (const file of LANGUAGE_FILES) copyFileSync(join(MANIFEST_DIR, LANGUAGE_DIR, file), join(dir, file));
    expect(await validateManifest(manifest, MANIFEST_DIR, dir)).toEqual([]);

    const german = languageFile('de.json');
    writeFileSync(
      join(dir, 'de.json'),
      JSON.stringify({
        ...german,
        'name.short': 'License Desk, ein sehr langer Name für Teams',
        'staticTabs[7].name': 'Nichts',
        'activities.activityTypes[0].templateText': '{requester} bittet um {auftrag}',
      }),
    );
    rmSync(join(dir, 'ja.json'));
    expect(await validateManifest(manifest, MANIFEST_DIR, dir)).toEqual([
      expect.stringMatching(/^de\.json: .*name\.short.* must NOT have more than 30 characters/),
      'de.json: "activities.activityTypes[0].templateText" must use the parameters {order}, {requester}',
      'de.json: "staticTabs[7].name" names no text of the manifest',
      `/localizationInfo/additionalLanguages (ja): ${join(dir, 'ja.json')} does not exist`,
    ]);
  });
});

describe('validateManifest', () => {
  it("reports the schema's errors for a broken manifest (a bot without botId)", async () => {
    const manifest = renderManifest(SETTINGS);
    delete bots(manifest)[0].botId;

    const problems = await validateManifest(manifest);

    expect(problems).toEqual([expect.stringContaining("/bots/0 must have required property 'botId'")]);
  });

  it.each(['1.0', 'v1.0.0', '1.0.0-beta.1', '01.2.3'])(
    'refuses the non-semver version "%s", which the schema itself lets through',
    async (version) => {
      const manifest = { ...renderManifest(SETTINGS), version };

      expect(await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest)).toEqual([]);
      expect(await validateManifest(manifest)).toEqual([expect.stringMatching(/^\/version must be MAJOR/)]);
    },
  );

  it('reports placeholders left unfilled', async () => {
    const template = JSON.parse(
      readFileSync(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'),
    ) as ManifestJson;

    const problems = await validateManifest(template);

    expect(problems).toEqual(
      expect.arrayContaining([
        'placeholder {{MICROSOFT_APP_ID}} is not filled',
        'placeholder {{BOT_DOMAIN}} is not filled',
        'placeholder {{APP_VERSION}} is not filled',
      ]),
    );
  });

  it('reports icons of the wrong size, missing icons and a coloured outline icon', async () => {
    const dir = mkdtempSync(join(tempDir, 'icons-'));
    copyFileSync(join(MANIFEST_DIR, 'outline.png'), join(dir, 'color.png'));
    const red = new Uint8Array(32 * 32 * 4);
    for (let i = 0; i < red.length; i += 4) red.set([255, 0, 0, i < 64 ? 0 : 255], i);
    writeFileSync(join(dir, 'outline.png'), encodePng({ width: 32, height: 32, rgba: red }));

    const problems = await validateManifest(renderManifest(SETTINGS), dir);

    expect(problems).toEqual([
      '/icons/color: color.png must be 192x192 pixels, is 32x32',
      '/icons/outline: outline.png has 1008 pixel(s) that are neither white nor transparent',
    ]);
    rmSync(join(dir, 'color.png'));
    expect(await validateManifest(renderManifest(SETTINGS), dir)).toContain(
      `/icons/color: ${join(dir, 'color.png')} does not exist`,
    );
  });
});

describe('the icons', () => {
  it('are 192x192 (colour) and 32x32 (outline), read from the PNG headers', () => {
    expect(readPngSize(readFileSync(join(MANIFEST_DIR, 'color.png')))).toEqual({ width: 192, height: 192 });
    expect(readPngSize(readFileSync(join(MANIFEST_DIR, 'outline.png')))).toEqual({ width: 32, height: 32 });
  });

  it('outline is white on a transparent background', () => {
    const image = decodePng(readFileSync(join(MANIFEST_DIR, 'outline.png')));
    if (!image) throw new Error('outline.png could not be decoded');
    const kinds = new Set<string>();
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b, alpha] = image.rgba.subarray(i, i + 4);
      if (alpha === 0) kinds.add('transparent');
      else if (r === 255 && g === 255 && b === 255) kinds.add(alpha === 255 ? 'white' : 'white edge');
      else kinds.add(`rgba(${r}, ${g}, ${b}, ${alpha})`);
    }

    expect([...kinds].sort()).toEqual(['transparent', 'white', 'white edge']);
  });

  it('colour icon is in full colour, not a white mask', () => {
    const image = decodePng(readFileSync(join(MANIFEST_DIR, 'color.png')));
    if (!image) throw new Error('color.png could not be decoded');
    const centreLeft = (96 * 192 + 20) * 4;

    expect([...image.rgba.subarray(centreLeft, centreLeft + 4)]).toEqual([0x0f, 0x6c, 0xbd, 255]);
  });
});

describe('buildPackage', () => {
  it('writes a zip holding exactly manifest.json, color.png, outline.png and the language files, as rendered', async () => {
    const path = await buildPackage(SETTINGS, join(tempDir, 'out', 'app.zip'));

    const zip = new AdmZip(path);
    const names = zip.getEntries().map((entry) => entry.entryName);
    expect(names.sort()).toEqual([...PACKAGE_FILES, ...LANGUAGE_FILES].sort());
    for (const file of LANGUAGE_FILES)
      expect(zip.readAsText(file)).toBe(readFileSync(join(MANIFEST_DIR, LANGUAGE_DIR, file), 'utf8'));
    expect(JSON.parse(zip.readAsText('manifest.json'))).toEqual(renderManifest(SETTINGS));
    expect(zip.readFile('color.png')).toEqual(readFileSync(join(MANIFEST_DIR, 'color.png')));
    expect(zip.readFile('outline.png')).toEqual(readFileSync(join(MANIFEST_DIR, 'outline.png')));
  });

  it('writes nothing when a setting is wrong', async () => {
    const path = join(tempDir, 'refused.zip');

    await expect(buildPackage({ ...SETTINGS, version: '2' }, path)).rejects.toThrow(/APP_VERSION/);
    expect(existsSync(path)).toBe(false);
  });

  it('explains every problem it found', () => {
    const error = new ManifestProblemsError(['first', 'second']);

    expect(error.message).toBe('The Teams app manifest has 2 problem(s):\n- first\n- second');
  });
});

describe('settings', () => {
  it.each<[string, Partial<PackageSettings>, RegExp]>([
    [
      'an app id that is not a GUID',
      { appId: 'license-desk' },
      /^Setting MicrosoftAppId: .*GUID.*"license-desk"/,
    ],
    ['a missing app id', { appId: '' }, /^Setting MicrosoftAppId: is required/],
    [
      'a domain with https://',
      { botDomain: 'https://licensedesk.contoso.com' },
      /^Setting BOT_DOMAIN: .*no https:/,
    ],
    ['a domain with a path', { botDomain: 'licensedesk.contoso.com/api' }, /^Setting BOT_DOMAIN:/],
    ['a domain with a port', { botDomain: 'licensedesk.contoso.com:3978' }, /^Setting BOT_DOMAIN:/],
    ['a missing domain', { botDomain: '' }, /^Setting BOT_DOMAIN: is required/],
    [
      'a version that is not semver',
      { version: '1.0' },
      /^Setting APP_VERSION: .*MAJOR\.MINOR\.PATCH.*"1\.0"/,
    ],
  ])('refuses %s, naming the setting', (_case, change, message) => {
    expect(() => renderManifest({ ...SETTINGS, ...change })).toThrow(message);
  });

  it('accepts a development tunnel host name and a 0.x version', () => {
    const manifest = renderManifest({
      ...SETTINGS,
      botDomain: 'k7x2p9-3978.euw.devtunnels.ms',
      version: '0.1.0',
    });

    expect(manifest.validDomains).toEqual(['k7x2p9-3978.euw.devtunnels.ms']);
    expect(manifest.version).toMatch(SEMVER);
  });
});

describe('projectRoot', () => {
  it('finds the project from the compiled output folder, where the template and icons are not copied', () => {
    expect(projectRoot(join(ROOT, 'dist', 'manifest'))).toBe(ROOT);
    expect(projectRoot(MANIFEST_DIR)).toBe(ROOT);
  });
});
