import type { DirectoryPerson } from '../../domain/accessRules';
import type { PeopleDirectory } from '../../services/ports';
import type { TokenSource } from '../providers/partnerCenter/tokenSource';

interface GraphUser {
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  userType?: string | null;
}

const SELECT = '$select=id,displayName,mail,userPrincipalName,userType';
const TIMEOUT_MS = 10_000;

/**
 * The organisation's people from Microsoft Graph, app-only (User.Read.All): `/users/{id}` to check a grant's
 * person, `/users?$search` to find people by name. A guest (userType Guest) belongs to another organisation.
 */
export class GraphPeopleDirectory implements PeopleDirectory {
  constructor(
    private readonly graphUrl: string,
    private readonly tenantId: string,
    private readonly tokens: TokenSource,
  ) {}

  async find(objectId: string): Promise<DirectoryPerson | undefined> {
    const id = objectId.trim();
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const response = await this.get(`/v1.0/users/${encodeURIComponent(id)}?${SELECT}`);
    if (response.status === 404 || response.status === 400) return undefined;
    if (!response.ok) throw new Error(`Microsoft Graph answered ${response.status} to a user lookup`);
    return this.person((await response.json()) as GraphUser);
  }

  async search(text: string, limit: number): Promise<DirectoryPerson[]> {
    // $search terms are quoted; a double quote inside would end the term early.
    const term = text.replace(/["\\]/g, ' ').trim();
    if (term === '') return [];
    const search = encodeURIComponent(`"displayName:${term}" OR "mail:${term}"`);
    const response = await this.get(`/v1.0/users?$search=${search}&${SELECT}&$top=${limit}`, {
      ConsistencyLevel: 'eventual',
    });
    if (!response.ok) throw new Error(`Microsoft Graph answered ${response.status} to a people search`);
    const body = (await response.json()) as { value?: GraphUser[] };
    return (body.value ?? []).map((u) => this.person(u)).filter((p): p is DirectoryPerson => !!p);
  }

  private async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const token = await this.tokens.accessToken();
    return fetch(`${this.graphUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  private person(user: GraphUser): DirectoryPerson | undefined {
    if (!user.id) return undefined;
    const email = user.mail ?? user.userPrincipalName ?? undefined;
    return {
      id: user.id,
      name: user.displayName?.trim() || email || user.id,
      ...(email ? { email } : {}),
      tenantId: user.userType === 'Guest' ? 'guest' : this.tenantId,
    };
  }
}
