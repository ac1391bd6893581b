import type { DirectoryPerson } from '../../domain/accessRules';
import type { AccessDirectory, PeopleDirectory } from '../../services/ports';

/**
 * Without Microsoft Graph (the demo, local development): the people License Desk knows, those of the access it
 * imported and everyone granted a role since. A typed object id of anyone else is unknown.
 */
export class KnownPeopleDirectory implements PeopleDirectory {
  constructor(private readonly directory: Pick<AccessDirectory, 'user' | 'users'>) {}

  async find(objectId: string): Promise<DirectoryPerson | undefined> {
    const user = this.directory.user(objectId.trim());
    if (!user) return undefined;
    return user.email
      ? { id: user.id, name: user.name, email: user.email }
      : { id: user.id, name: user.name };
  }

  async search(text: string, limit: number): Promise<DirectoryPerson[]> {
    const needle = text.trim().toLowerCase();
    return this.directory
      .users()
      .filter((u) => u.name.toLowerCase().includes(needle) || (u.email ?? '').toLowerCase().includes(needle))
      .slice(0, limit)
      .map((u) => (u.email ? { id: u.id, name: u.name, email: u.email } : { id: u.id, name: u.name }));
  }
}
