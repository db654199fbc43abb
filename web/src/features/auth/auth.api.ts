// Calls for signing in, first-run setup, MFA and the signed-in user's own profile.
import { api, request } from '../../shared/api/client.ts';
import type { SessionDto } from '../../shared/api/types.ts';
import type { Locale } from '../../shared/i18n/i18n.tsx';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string;
  recoveryCode?: string;
}

export const login = (input: LoginInput) =>
  request<SessionDto>('POST', '/auth/login', { body: input, allowUnauthorized: true });

export const getSetupStatus = () =>
  request<{ needsSetup: boolean }>('GET', '/setup/status', { allowUnauthorized: true });

export const runSetup = (input: { token: string; email: string; displayName: string; password: string }) =>
  request<void>('POST', '/setup', { body: input, allowUnauthorized: true });

export const startMfaSetup = () => api.post<{ secret: string; otpauthUri: string }>('/auth/mfa/setup');
export const confirmMfa = (totp: string) =>
  api.post<{ recoveryCodes: string[] }>('/auth/mfa/confirm', { totp });
export const regenerateRecoveryCodes = () =>
  api.post<{ recoveryCodes: string[] }>('/auth/mfa/recovery-codes');
export const disableMfa = (password: string) => api.post<void>('/auth/mfa/disable', { password });

export const updateProfile = (input: { displayName?: string; locale?: Locale }) =>
  api.patch<SessionDto>('/me', input);
export const changePassword = (input: { currentPassword: string; newPassword: string }) =>
  api.post<void>('/me/password', input);
