// Report files in: several files dropped or chosen at once are sent one after another, each with its own
// progress bar and one for the batch; each ends imported, duplicate or rejected with its reason, worded in the UI
// language by its code (the server's English reason, which names entries, sizes and limits, on hover). The
// import history (every file handed in, by upload, the command line or the mailbox) follows.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import type { ImportResult, ImportedFileDto } from '../../shared/api/types.ts';
import { isMessageKey, useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { UploadIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails, errorMessage } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { dmarcKeys, uploadReportFile } from './dmarc.api.ts';
import { batchProgress, formatBytes } from './lib/dmarc.ts';

interface Upload {
  key: number;
  file: File;
  size: number;
  state: 'waiting' | 'uploading' | 'processing' | 'done' | 'failed';
  percent: number;
  result?: ImportResult;
  /** Why the file was not taken: the server's reason (422) or another error. */
  error?: string;
}

type Outcome = ImportResult['status'] | 'failed';
const OUTCOME_COLOR: Record<Outcome, string> = {
  imported: 'teal',
  duplicate: 'gray',
  rejected: 'red',
  failed: 'red',
};

function outcomeOf(u: Upload): Outcome | null {
  if (u.state === 'done' && u.result) return u.result.status;
  if (u.state === 'failed') return u.result ? 'rejected' : 'failed';
  return null;
}

function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const t = useT();
  return (
    <Badge
      color={OUTCOME_COLOR[outcome]}
      variant="light"
      tt="none"
      data-testid="file-status"
      data-status={outcome}
    >
      {t(`dmarc.fileStatus.${outcome}`)}
    </Badge>
  );
}

function DropZone({ onFiles, busy }: { onFiles: (files: File[]) => void; busy: boolean }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onFiles([...e.dataTransfer.files]);
  };
  return (
    <Paper
      withBorder
      radius="md"
      p="xl"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-color-blue-5)' : undefined,
        background: over ? 'var(--mantine-color-blue-0)' : undefined,
        textAlign: 'center',
      }}
      data-testid="dmarc-dropzone"
    >
      <Stack align="center" gap="xs">
        <UploadIcon size={32} color="var(--mantine-color-gray-6)" />
        <Text fw={600}>{t('dmarc.import.drop')}</Text>
        <Text size="sm" c="dimmed">
          {t('dmarc.import.formats')}
        </Text>
        <Button variant="light" onClick={() => input.current?.click()} data-testid="dmarc-choose">
          {busy ? t('dmarc.import.chooseMore') : t('dmarc.import.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            onFiles([...(e.currentTarget.files ?? [])]);
            e.currentTarget.value = '';
          }}
          data-testid="dmarc-file-input"
        />
      </Stack>
    </Paper>
  );
}

/** Why a file (or some of its reports) was not stored; a reason without a known code is shown as it is. */
function FileReason({ code, reason, imported }: { code: string | null; reason: string; imported: boolean }) {
  const t = useT();
  const key = `dmarc.fileReason.${code}`;
  const worded = code && isMessageKey(key) ? t(key) : null;
  const text = worded && imported ? t('dmarc.import.someNotStored', { reason: worded }) : (worded ?? reason);
  return (
    <Tooltip label={worded ? t('dmarc.import.reasonDetail', { reason }) : reason} multiline maw={420}>
      <Text
        size="xs"
        c={imported ? 'orange.8' : 'red.8'}
        lineClamp={2}
        data-testid="file-reason"
        data-code={code ?? undefined}
      >
        {text}
      </Text>
    </Tooltip>
  );
}

function UploadRow({ u }: { u: Upload }) {
  const t = useT();
  const outcome = outcomeOf(u);
  const reason = u.result?.reason ?? u.error ?? null;
  return (
    <Table.Tr data-testid="upload-row" data-file={u.file.name}>
      <Table.Td maw={280}>
        <Text size="sm" fw={500} truncate>
          {u.file.name}
        </Text>
        <Text size="xs" c="dimmed">
          {formatBytes(u.size)}
        </Text>
      </Table.Td>
      <Table.Td w={220}>
        {outcome ? (
          <OutcomeBadge outcome={outcome} />
        ) : (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {u.state === 'waiting'
                ? t('dmarc.import.waiting')
                : u.state === 'processing'
                  ? t('dmarc.import.processing')
                  : t('dmarc.import.uploading', { percent: u.percent })}
            </Text>
            <Progress
              value={u.state === 'waiting' ? 0 : u.state === 'processing' ? 100 : u.percent}
              animated={u.state !== 'waiting'}
              striped={u.state === 'processing'}
              size="sm"
              data-testid="upload-progress"
            />
          </Stack>
        )}
      </Table.Td>
      <Table.Td ta="right">{u.result ? u.result.reports : '—'}</Table.Td>
      <Table.Td ta="right">{u.result ? u.result.records : '—'}</Table.Td>
      <Table.Td ta="right">{u.result ? u.result.messages.toLocaleString() : '—'}</Table.Td>
      <Table.Td>
        {reason && (
          <FileReason code={u.result?.reasonCode ?? null} reason={reason} imported={outcome === 'imported'} />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function History() {
  const t = useT();
  const formatDate = useFormatDate();
  const list = usePagedList<ImportedFileDto>(dmarcKeys.files, '/dmarc/files', {}, { pageSize: 25 });
  return (
    <Card withBorder radius="md" padding="lg" data-testid="dmarc-history">
      <Title order={4}>{t('dmarc.import.historyTitle')}</Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('dmarc.import.historyHelp')}
      </Text>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dmarc.import.when')}</Table.Th>
              <Table.Th>{t('dmarc.import.file')}</Table.Th>
              <Table.Th>{t('dmarc.import.channel')}</Table.Th>
              <Table.Th>{t('dmarc.import.status')}</Table.Th>
              <Table.Th ta="right">{t('dmarc.import.reports')}</Table.Th>
              <Table.Th ta="right">{t('dmarc.import.messages')}</Table.Th>
              <Table.Th>{t('dmarc.import.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.loading && <TableSkeleton columns={7} />}
            {!list.loading && list.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text c="dimmed" ta="center" py="md">
                    {t('dmarc.import.historyEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {list.items.map((f) => (
              <Table.Tr key={f.id} data-testid="history-row" data-file={f.file}>
                <Table.Td>
                  <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(f.importedAt)}
                  </Text>
                  <Text size="xs" c="dimmed" truncate maw={200}>
                    {f.importedBy}
                  </Text>
                </Table.Td>
                <Table.Td maw={260}>
                  <Text size="sm" truncate>
                    {f.file}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="outline" color="gray" tt="none">
                    {t(`dmarc.channel.${f.channel}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <OutcomeBadge outcome={f.status} />
                </Table.Td>
                <Table.Td ta="right">{f.reports}</Table.Td>
                <Table.Td ta="right">{f.messages.toLocaleString()}</Table.Td>
                <Table.Td maw={360}>
                  {f.reason && (
                    <FileReason code={f.reasonCode} reason={f.reason} imported={f.status === 'imported'} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
        testId="history-load-more"
      />
    </Card>
  );
}

export function DmarcImportPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const nextKey = useRef(0);
  const running = useRef(false);

  const update = (key: number, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const add = (files: File[]) => {
    if (files.length === 0) return;
    setUploads((list) => [
      ...list,
      ...files.map((file) => ({
        key: nextKey.current++,
        file,
        size: file.size,
        state: 'waiting' as const,
        percent: 0,
      })),
    ]);
  };

  // One file at a time: the server reads each as a stream, and the order of the results is the order given.
  useEffect(() => {
    if (running.current) return;
    const next = uploads.find((u) => u.state === 'waiting');
    if (!next) return;
    running.current = true;
    update(next.key, { state: 'uploading', percent: 0 });
    const finish = (change: Partial<Upload>) => {
      running.current = false;
      update(next.key, change);
      void queryClient.invalidateQueries({ queryKey: dmarcKeys.all });
    };
    uploadReportFile(next.file, (p) =>
      update(
        next.key,
        p.phase === 'uploading'
          ? { state: 'uploading', percent: p.percent }
          : { state: 'processing', percent: 100 },
      ),
    )
      .then((result) => finish({ state: 'done', percent: 100, result }))
      .catch((err: unknown) => {
        // 422: the file held no report that could be stored; the reason is the problem's detail.
        const rejected = err instanceof ApiError && err.status === 422;
        finish({
          state: 'failed',
          error: errorMessage(err, t),
          ...(rejected
            ? {
                result: {
                  file: next.file.name,
                  status: 'rejected' as const,
                  reason: err.problem.detail,
                  reasonCode: (err.problem.reasonCode ?? null) as ImportResult['reasonCode'],
                  reports: 0,
                  records: 0,
                  messages: 0,
                },
              }
            : {}),
        });
      });
    // Runs again whenever the list changes; `running` keeps it to one upload at a time.
  }, [uploads, queryClient, t]);

  const busy = uploads.some(
    (u) => u.state === 'waiting' || u.state === 'uploading' || u.state === 'processing',
  );
  const finished = uploads.filter((u) => u.state === 'done' || u.state === 'failed').length;
  const count = (o: Outcome) => uploads.filter((u) => outcomeOf(u) === o).length;
  const overall = batchProgress(uploads);

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/dmarc" size="sm">
          {t('dmarc.nav.overview')}
        </Anchor>
        <Text size="sm">{t('dmarc.nav.import')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('dmarc.import.title')} description={t('dmarc.import.description')} />
      <Stack gap="lg">
        <DropZone onFiles={add} busy={busy} />
        {uploads.length > 0 && (
          <Card withBorder radius="md" padding="lg" data-testid="dmarc-uploads">
            <Group justify="space-between" mb="xs" wrap="wrap">
              <Title order={4}>{t('dmarc.import.resultsTitle')}</Title>
              <Group gap="xs">
                <Badge color="teal" variant="light" tt="none">
                  {t('dmarc.import.countImported', { count: count('imported') })}
                </Badge>
                <Badge color="gray" variant="light" tt="none">
                  {t('dmarc.import.countDuplicate', { count: count('duplicate') })}
                </Badge>
                <Badge color="red" variant="light" tt="none">
                  {t('dmarc.import.countRejected', { count: count('rejected') + count('failed') })}
                </Badge>
                {!busy && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="gray"
                    onClick={() => setUploads([])}
                    data-testid="dmarc-clear"
                  >
                    {t('dmarc.import.clear')}
                  </Button>
                )}
              </Group>
            </Group>
            <Stack gap={4} mb="md" data-testid="dmarc-overall">
              <Text size="sm" data-testid="dmarc-overall-text">
                {busy
                  ? t('dmarc.import.overallBusy', { done: finished, count: uploads.length })
                  : t('dmarc.import.overallDone', { count: uploads.length })}
              </Text>
              <Progress value={overall} size="md" animated={busy} color={busy ? 'blue' : 'teal'} />
            </Stack>
            <Table.ScrollContainer minWidth={820}>
              <Table verticalSpacing="xs" data-testid="dmarc-results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('dmarc.import.file')}</Table.Th>
                    <Table.Th>{t('dmarc.import.status')}</Table.Th>
                    <Table.Th ta="right">{t('dmarc.import.reports')}</Table.Th>
                    <Table.Th ta="right">{t('dmarc.import.records')}</Table.Th>
                    <Table.Th ta="right">{t('dmarc.import.messages')}</Table.Th>
                    <Table.Th>{t('dmarc.import.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {uploads.map((u) => (
                    <UploadRow key={u.key} u={u} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
        <History />
      </Stack>
    </>
  );
}
