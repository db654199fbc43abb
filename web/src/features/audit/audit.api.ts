// Calls to the audit trail: entries and chain verification.
import { api } from '../../shared/api/client.ts';
import type { VerifyResultDto } from '../../shared/api/types.ts';

export const auditKeys = { entries: ['audit'] as const, verify: ['audit', 'verify'] as const };

export const verifyChain = () => api.get<VerifyResultDto>('/audit/verify');
