import type { Role } from '../domain/access';
import { translator, type Translator } from '../i18n';
import { toDecimalString } from '../domain/money';
import type { Refusal } from '../domain/refusal';
import type { AccessService } from '../services/accessService';
import type { PlainRequest, PlainResponse } from '../server';
import type { Audience } from '../teams/presenters/format';
import type { TabUser } from './tabAuthentication';

const MAX_FIELD = 600;
const PROFILE_PATH = /^\/tab\/api\/access\/profiles\/([^/]{1,100})$/;

export interface AccessApiHelpers {
  readonly json: (status: number, body: object) => PlainResponse;
  readonly refused: (refusal: Refusal, audience: Audience) => PlainResponse;
  readonly methodNotAllowed: (allow: string) => PlainResponse;
  readonly withJsonBody: (
    request: PlainRequest,
    next: (body: Record<string, unknown>) => Promise<PlainResponse>,
  ) => Promise<PlainResponse>;
}

function field(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_FIELD) : '';
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_FIELD) : undefined;
}

/**
 * The tab's Access page API (README: Access), for Access Admins: the same operations as the `access` card
 * (AccessService, bot/domain/accessRules.ts), the audit history, and people found by name.
 *   GET  /tab/api/access                      profiles, who holds each role, the audit
 *   POST /tab/api/access/grants               { personId, role, billingProfileId, reason? }
 *   POST /tab/api/access/revokes              { personId, role, billingProfileId, reason? }
 *   POST /tab/api/access/profiles/{id}        { name?, domains?, approvalLimit?, secondApprovalLimit?, currency?, reason? }
 *   GET  /tab/api/people?q=                   people found by name or address
 */
export class TabAccessApi {
  constructor(
    private readonly access: AccessService,
    private readonly helpers: AccessApiHelpers,
  ) {}

  handles(path: string): boolean {
    return path === '/tab/api/people' || path === '/tab/api/access' || path.startsWith('/tab/api/access/');
  }

  async handle(request: PlainRequest, user: TabUser, audience: Audience): Promise<PlainResponse> {
    const { json, methodNotAllowed, withJsonBody } = this.helpers;
    const { method, path } = request;
    const actor = user.requester;
    if (path === '/tab/api/access')
      return method === 'GET' ? this.page(actor.id, audience) : methodNotAllowed('GET');
    if (path === '/tab/api/people') {
      if (method !== 'GET') return methodNotAllowed('GET');
      const found = await this.access.searchPeople(actor.id, field(request.query?.q));
      return found.ok
        ? json(200, {
            people: found.value.map(({ id, name, email }) => ({ id, name, email: email ?? null })),
          })
        : this.helpers.refused(found.refusal, audience);
    }
    if (path === '/tab/api/access/grants' || path === '/tab/api/access/revokes') {
      if (method !== 'POST') return methodNotAllowed('POST');
      return withJsonBody(request, async (body) => {
        const change = {
          personId: field(body.personId),
          role: field(body.role),
          billingProfileId: field(body.billingProfileId),
          reason: optional(body.reason),
        };
        const done =
          path === '/tab/api/access/grants'
            ? await this.access.grant(actor, change)
            : await this.access.revoke(actor, change);
        if (!done.ok) return this.helpers.refused(done.refusal, audience);
        const { person, role } = done.value;
        const words = translator(audience.locale);
        return json(path.endsWith('grants') ? 201 : 200, {
          message: words.t(path === '/tab/api/access/grants' ? 'tab.grantedRole' : 'tab.revokedRole', {
            person: person.name,
            role: roleTitle(words, role),
          }),
        });
      });
    }
    const profile = PROFILE_PATH.exec(path);
    if (profile) {
      if (method !== 'POST') return methodNotAllowed('POST');
      return withJsonBody(request, async (body) => {
        const edited = await this.access.editProfile(actor, {
          billingProfileId: decodeURIComponent(profile[1]),
          name: optional(body.name),
          domains: Array.isArray(body.domains)
            ? body.domains.filter((d): d is string => typeof d === 'string').slice(0, 50)
            : optional(body.domains),
          approvalLimit: optional(body.approvalLimit),
          secondApprovalLimit: optional(body.secondApprovalLimit),
          currency: optional(body.currency),
          reason: optional(body.reason),
        });
        return edited.ok
          ? json(200, {
              message: translator(audience.locale).t('tab.profileSaved', { profile: edited.value.name }),
            })
          : this.helpers.refused(edited.refusal, audience);
      });
    }
    return json(404, { error: 'There is nothing here.' });
  }

  private async page(actorId: string, audience: Audience): Promise<PlainResponse> {
    const overview = await this.access.overview(actorId);
    if (!overview.ok) return this.helpers.refused(overview.refusal, audience);
    const audit = await this.access.auditTrail(actorId, 100);
    const words = translator(audience.locale);
    return this.helpers.json(200, {
      profiles: overview.value.map(({ profile, members }) => ({
        id: profile.id,
        name: profile.name,
        domains: profile.domains,
        approvalLimit: {
          amount: toDecimalString(profile.approvalLimit),
          currency: profile.approvalLimit.currency,
        },
        secondApprovalLimit: profile.secondApprovalLimit
          ? {
              amount: toDecimalString(profile.secondApprovalLimit),
              currency: profile.secondApprovalLimit.currency,
            }
          : null,
        roles: members.map(({ role, people }) => ({
          role,
          title: roleTitle(words, role),
          people: people.map(({ id, name, email }) => ({ id, name, email: email ?? null })),
        })),
      })),
      audit: (audit.ok ? audit.value : []).map((entry) => ({
        at: entry.at.toISOString(),
        action: entry.action,
        actor: entry.actor?.name ?? 'License Desk',
        person: entry.person?.name ?? null,
        role: entry.role ? roleTitle(words, entry.role) : null,
        billingProfileId: entry.billingProfileId,
        reason: entry.reason,
      })),
    });
  }
}

/** A role's title in the reader's language (the `tab` catalogue, README: Languages). */
function roleTitle(words: Translator, role: Role): string {
  return words.t(`tab.role${role}`);
}
