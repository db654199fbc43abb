// For group administrators: the group's webhook (URL, on or off, a write-only signing secret) and the outbox of
// mails and webhook calls, with those given up shown with their last error and tried again on request.
import { useEffect, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePagedList } from '../../shared/api/paged.ts';
import { DELIVERY_STATUSES, type DeliveryDto, type DeliveryStatus } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { titleMessage } from './lib/title.ts';
import { getSettings, notificationKeys, retryDelivery, updateSettings } from './notifications.api.ts';

const STATUS_COLOR: Record<DeliveryStatus, string> = { pending: 'gray', sent: 'teal', failed: 'red' };

function WebhookCard() {
  const t = useT();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: notificationKeys.settings, queryFn: getSettings });
  const [url, setUrl] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [secret, setSecret] = useState('');
  useEffect(() => {
    if (!settings.data) return;
    setUrl(settings.data.webhookUrl ?? '');
    setEnabled(settings.data.enabled);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      updateSettings({
        webhookUrl: url.trim() || null,
        enabled,
        ...(secret ? { secret } : {}),
        version: settings.data?.version ?? 0,
      }),
    onSuccess: (next) => {
      queryClient.setQueryData(notificationKeys.settings, next);
      setSecret('');
      notifySuccess((t) => t('notifications.settings.saved'));
    },
    onError: (err) => notifyError(err),
  });
  const errors = fieldErrors(save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const data = settings.data;
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb={4}>
        {t('notifications.settings.webhook')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('notifications.settings.webhookHelp')}
      </Text>
      {settings.error ? (
        <ProblemDetails error={settings.error} t={t} />
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('notifications.settings.url')}
              placeholder="https://hooks.example.com/mamori"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={errors.webhookUrl}
              data-testid="webhook-url"
            />
            <PasswordInput
              label={t('notifications.settings.secret')}
              description={
                data?.secretSet
                  ? t('notifications.settings.secretKept')
                  : t('notifications.settings.secretHelp')
              }
              value={secret}
              onChange={(e) => setSecret(e.currentTarget.value)}
              error={errors.secret}
              autoComplete="new-password"
              data-testid="webhook-secret"
            />
            <Switch
              label={t('notifications.settings.enabled')}
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
              data-testid="webhook-enabled"
            />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {data?.updatedAt
                  ? t('notifications.settings.updated', {
                      who: data.updatedBy ?? '—',
                      when: formatDate(data.updatedAt),
                    })
                  : ''}
              </Text>
              <Button type="submit" loading={save.isPending} disabled={!data} data-testid="webhook-save">
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}

function DeliveriesCard() {
  const t = useT();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const list = usePagedList<DeliveryDto>(notificationKeys.deliveries, '/notifications/deliveries', {
    status: status ?? undefined,
  });
  const retry = useMutation({
    mutationFn: retryDelivery,
    onSuccess: () => {
      notifySuccess((t) => t('notifications.deliveries.retried'));
      void queryClient.invalidateQueries({ queryKey: notificationKeys.deliveries });
    },
    onError: (err) => notifyError(err),
  });
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb={4}>
        <Title order={4}>{t('notifications.deliveries.title')}</Title>
        <Select
          size="xs"
          placeholder={t('notifications.deliveries.allStatuses')}
          clearable
          value={status}
          onChange={setStatus}
          data={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`notifications.status.${s}`) }))}
          data-testid="deliveries-status"
        />
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('notifications.deliveries.help')}
      </Text>
      {list.error ? (
        <ProblemDetails error={list.error} t={t} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" data-testid="deliveries-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('notifications.deliveries.created')}</Table.Th>
                <Table.Th>{t('notifications.deliveries.event')}</Table.Th>
                <Table.Th>{t('notifications.deliveries.channel')}</Table.Th>
                <Table.Th>{t('notifications.deliveries.status')}</Table.Th>
                <Table.Th>{t('notifications.deliveries.attempts')}</Table.Th>
                <Table.Th>{t('notifications.deliveries.lastError')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={7} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" size="sm" ta="center" py="sm">
                      {t('notifications.deliveries.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((d) => {
                const { key, vars } = titleMessage(d);
                return (
                  <Table.Tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(d.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(key, vars)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`notifications.channel.${d.channel}`)}</Text>
                      {d.recipient && (
                        <Text size="xs" c="dimmed">
                          {d.recipient}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLOR[d.status]}>
                        {t(`notifications.status.${d.status}`)}
                      </Badge>
                      {d.status === 'pending' && d.attempts > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('notifications.deliveries.nextAttempt', { when: formatDate(d.nextAttemptAt) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c={d.status === 'failed' ? 'red.8' : 'dimmed'} maw={280}>
                        {d.lastError ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {d.status === 'failed' && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          loading={retry.isPending && retry.variables === d.id}
                          onClick={() => retry.mutate(d.id)}
                          data-testid="delivery-retry"
                        >
                          {t('notifications.deliveries.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {(list.hasMore || list.items.length > 50) && (
        <LoadMore
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
          shown={list.items.length}
          testId="deliveries-load-more"
        />
      )}
    </Card>
  );
}

export function WebhookSettingsPage() {
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('notifications.settings.title')}
        description={t('notifications.settings.description')}
      />
      <Stack gap="lg">
        <WebhookCard />
        <DeliveriesCard />
      </Stack>
    </>
  );
}
