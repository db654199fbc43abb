// A sending domain's DMARC readiness verdict (can it move to the next policy, and how much legitimate mail that
// would hit), read by the DMARC screens and the email rollout board alike.
import { Badge, Box, Group, List, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { DmarcReadiness, DmarcVerdict, ReadinessList } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';

/** Under the DMARC feature's key, so that an import refreshes it with the rest. */
export const dmarcReadinessKey = (companyId: string, days: number) =>
  ['dmarc', 'readiness', companyId, days] as const;

export function useDmarcReadiness(companyId: string | null | undefined, days = 30, enabled = true) {
  return useQuery({
    queryKey: dmarcReadinessKey(companyId ?? '', days),
    queryFn: ({ signal }) =>
      api.get<ReadinessList>('/dmarc/readiness', { companyId: companyId || undefined, days }, signal),
    enabled,
    staleTime: 60_000,
  });
}

export const VERDICT_COLOR: Record<DmarcVerdict, string> = {
  'no-record': 'red',
  'not-ready': 'orange',
  'no-data': 'gray',
  'ready-quarantine': 'green',
  'ready-reject': 'green',
  'at-reject': 'teal',
};

/** A per mille figure as a percentage with one decimal ("0.1"). */
export const perMille = (value: number): string => (value / 10).toFixed(1);

/** A reason for a verdict in the reader's language, from its code and figures (shares per mille). */
export function reasonText(t: ReturnType<typeof useT>, reason: DmarcReadiness['reasons'][number]): string {
  const p = reason.params;
  switch (reason.code) {
    case 'too-few-messages':
      return t('dmarc.reason.too-few-messages', {
        messages: (p.messages ?? 0).toLocaleString(),
        min: (p.min ?? 0).toLocaleString(),
      });
    case 'too-much-failing':
      return t('dmarc.reason.too-much-failing', {
        share: perMille(p.affected ?? 0),
        limit: perMille(p.limit ?? 0),
      });
    case 'affected':
      return (p.forwardedFailing ?? 0) > 0
        ? t('dmarc.reason.affected-forwarded', {
            share: perMille(p.affected ?? 0),
            forwarded: (p.forwardedFailing ?? 0).toLocaleString(),
          })
        : t('dmarc.reason.affected', { share: perMille(p.affected ?? 0) });
    default:
      return t(`dmarc.reason.${reason.code}`);
  }
}

/** Whether the affected share means anything for the verdict (there was mail to judge by). */
export const showsAffected = (verdict: DmarcVerdict): boolean =>
  verdict === 'not-ready' || verdict === 'ready-quarantine' || verdict === 'ready-reject';

function ReadinessTooltip({ readiness, children }: { readiness: DmarcReadiness; children: ReactNode }) {
  const t = useT();
  return (
    <Tooltip
      multiline
      maw={340}
      label={
        <Stack gap={2}>
          <Text size="xs">{t(`dmarc.verdictHelp.${readiness.verdict}`)}</Text>
          {readiness.reasons.length > 0 && (
            <List size="xs" c="gray.3">
              {readiness.reasons.map((r) => (
                <List.Item key={r.code}>{reasonText(t, r)}</List.Item>
              ))}
            </List>
          )}
        </Stack>
      }
    >
      {children}
    </Tooltip>
  );
}

/** The verdict in words, with the affected share where it means something. */
function useVerdictText(readiness: DmarcReadiness, withShare: boolean): string {
  const t = useT();
  const label = t(`dmarc.verdict.${readiness.verdict}`);
  return withShare && showsAffected(readiness.verdict)
    ? t('dmarc.verdictAffected', { verdict: label, share: perMille(readiness.affected) })
    : label;
}

export function ReadinessBadge({
  readiness,
  size = 'sm',
  withShare = true,
  testId = 'readiness-verdict',
}: {
  readiness: DmarcReadiness;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  withShare?: boolean;
  testId?: string;
}) {
  const text = useVerdictText(readiness, withShare);
  return (
    <ReadinessTooltip readiness={readiness}>
      <Badge
        color={VERDICT_COLOR[readiness.verdict]}
        variant={readiness.verdict === 'at-reject' ? 'filled' : 'light'}
        size={size}
        tt="none"
        maw="100%"
        data-testid={testId}
        data-verdict={readiness.verdict}
      >
        {text}
      </Badge>
    </ReadinessTooltip>
  );
}

/** The verdict as a coloured dot and a line of small text that wraps: for narrow places (the rollout cards). */
export function ReadinessLine({
  readiness,
  testId = 'readiness-verdict',
}: {
  readiness: DmarcReadiness;
  testId?: string;
}) {
  const text = useVerdictText(readiness, true);
  return (
    <ReadinessTooltip readiness={readiness}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Box
          w={8}
          h={8}
          mt={5}
          style={{ borderRadius: 4, flexShrink: 0 }}
          bg={`${VERDICT_COLOR[readiness.verdict]}.6`}
        />
        <Text
          size="xs"
          fw={600}
          c={`${VERDICT_COLOR[readiness.verdict]}.8`}
          data-testid={testId}
          data-verdict={readiness.verdict}
        >
          {text}
        </Text>
      </Group>
    </ReadinessTooltip>
  );
}
