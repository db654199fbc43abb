// Calls to the identity module: users, role grants and the signed-in user's API tokens.
import { api } from '../../shared/api/client.ts';
import type {
  ApiTokenDto,
  CreateUserInput,
  GrantDto,
  Role,
  TokenScope,
  UpdateUserInput,
  UserDto,
} from '../../shared/api/types.ts';

export const identityKeys = {
  users: ['users'] as const,
  user: (id: string) => ['users', 'one', id] as const,
  tokens: ['tokens'] as const,
};

export const getUser = (id: string) => api.get<UserDto>(`/users/${id}`);
export const createUser = (
  input: Partial<CreateUserInput> & Pick<CreateUserInput, 'email' | 'displayName'>,
) => api.post<UserDto>('/users', input);
export const updateUser = (id: string, input: UpdateUserInput) => api.patch<UserDto>(`/users/${id}`, input);
export const resetUserPassword = (id: string, newPassword: string) =>
  api.post<void>(`/users/${id}/password`, { newPassword });
export const resetUserMfa = (id: string) => api.post<void>(`/users/${id}/mfa/reset`);
export const grantRole = (id: string, role: Role, companyId: string | null) =>
  api.post<GrantDto>(`/users/${id}/grants`, { role, companyId });
export const revokeGrant = (id: string, grantId: string) => api.delete(`/users/${id}/grants/${grantId}`);

export const listTokens = () => api.get<{ items: ApiTokenDto[] }>('/me/tokens').then((r) => r.items);
export const createToken = (input: { name: string; scopes: TokenScope[]; expiresInDays: number }) =>
  api.post<{ token: string; apiToken: ApiTokenDto }>('/me/tokens', input);
export const revokeToken = (id: string) => api.delete(`/me/tokens/${id}`);
