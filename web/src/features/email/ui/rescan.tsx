// "Rescan all": the server only makes the domains due, and its scheduler scans them over its next rounds. The
// progress shown is what the server reports: how many of the domains known before the request have a newer
// lastScannedAt since. Kept in sessionStorage, so that it survives moving between the email screens.
import { useEffect, useState } from 'react';
import { Button, CloseButton, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAll } from '../../../shared/api/lookups.ts';
import type { EmailDomainDto } from '../../../shared/api/types.ts';
import { useFormatDate, useT } from '../../../shared/i18n/i18n.tsx';
import { notifyError, notifySuccess } from '../../../shared/ui/notify.tsx';
import { emailKeys, rescanAll } from '../email.api.ts';
import { barValue, rescanned, snapshotOf, type ScanSnapshot } from '../lib/posture.ts';
import { RadarIcon } from './icons.tsx';

const STORAGE_KEY = 'mamori.email.rescan';
/** Domains read to follow the progress; beyond that the count is only a lower bound and says so. */
const CAP = 5000;
const POLL_MS = 5000;

interface RescanState {
  companyId: string | null;
  queued: number;
  requestedAt: string;
  snapshot: ScanSnapshot;
  /** Whether the snapshot holds every domain in scope. */
  complete: boolean;
}

function load(): RescanState | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as RescanState) : null;
  } catch {
    return null;
  }
}
function save(state: RescanState | null): void {
  try {
    if (state) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // not kept: the progress still shows on this screen
  }
}

const readDomains = (companyId: string | null, signal?: AbortSignal) =>
  fetchAll<EmailDomainDto>('/email/domains', { companyId: companyId ?? undefined }, CAP, signal);

export function useRescan() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<RescanState | null>(load);
  const set = (next: RescanState | null) => {
    save(next);
    setState(next);
  };

  const start = useMutation({
    mutationFn: async (companyId: string | null) => {
      const before = await readDomains(companyId);
      const { queued } = await rescanAll(companyId);
      return {
        companyId,
        queued,
        requestedAt: new Date().toISOString(),
        snapshot: snapshotOf(before.items),
        complete: before.complete,
      };
    },
    onSuccess: (next) => {
      if (next.queued === 0) {
        notifySuccess((t) => t('email.rescan.nothing'));
        set(null);
        return;
      }
      notifySuccess((t) => t('email.rescan.queued', { count: next.queued }));
      set(next);
    },
    onError: (err) => notifyError(err),
  });

  const progress = useQuery({
    queryKey: ['email', 'rescan-progress', state?.requestedAt ?? 'none'],
    queryFn: async ({ signal }) => {
      const now = await readDomains(state!.companyId, signal);
      return rescanned(state!.snapshot, now.items);
    },
    enabled: state !== null,
    refetchInterval: (q) => (state && (q.state.data ?? 0) >= state.queued ? false : POLL_MS),
  });
  const done = Math.min(progress.data ?? 0, state?.queued ?? 0);
  const finished = state !== null && done >= state.queued;
  const finishedAt = finished ? state.requestedAt : null;
  useEffect(() => {
    // Once, when the last one lands: the lists and charts show the new scans.
    if (finishedAt) void queryClient.invalidateQueries({ queryKey: emailKeys.all });
  }, [finishedAt, queryClient]);

  return {
    state,
    done,
    finished,
    starting: start.isPending,
    start: (companyId: string | null) => start.mutate(companyId),
    dismiss: () => set(null),
  };
}

export type Rescan = ReturnType<typeof useRescan>;

export function RescanButton({ rescan, companyId }: { rescan: Rescan; companyId: string | null }) {
  const t = useT();
  const running = rescan.state !== null && !rescan.finished;
  return (
    <Button
      variant="default"
      leftSection={<RadarIcon size={16} />}
      loading={rescan.starting}
      disabled={running}
      onClick={() => rescan.start(companyId)}
      data-testid="email-rescan"
    >
      {companyId ? t('email.rescan.company') : t('email.rescan.all')}
    </Button>
  );
}

export function RescanProgress({ rescan }: { rescan: Rescan }) {
  const t = useT();
  const formatDate = useFormatDate();
  const { state, done, finished } = rescan;
  if (!state) return null;
  return (
    <Paper withBorder radius="md" p="sm" mb="md" data-testid="rescan-progress">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ flex: 1 }}>
          <Text size="sm" fw={600}>
            {finished
              ? t('email.rescan.finished', { count: state.queued })
              : t('email.rescan.progress', { done, count: state.queued })}
          </Text>
          <Progress
            value={barValue(done, state.queued)}
            color={finished ? 'teal' : 'indigo'}
            striped={!finished}
            animated={!finished}
            size="md"
          />
          <Text size="xs" c="dimmed">
            {finished
              ? t('email.rescan.since', { when: formatDate(state.requestedAt) })
              : t('email.rescan.howItWorks', { when: formatDate(state.requestedAt) })}
            {!state.complete && ` ${t('email.rescan.partial', { count: CAP })}`}
          </Text>
        </Stack>
        <CloseButton onClick={rescan.dismiss} aria-label={t('email.rescan.dismiss')} />
      </Group>
    </Paper>
  );
}
