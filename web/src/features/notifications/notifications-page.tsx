// The signed-in user's notifications, newest first: all or only the unread ones (in the URL), marked read one by
// one or all at once, each linking to its object.
import { Button, Group, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { usePagedList } from '../../shared/api/paged.ts';
import type { NotificationDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { CheckIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { getUnreadCount, markAllRead, notificationKeys } from './notifications.api.ts';
import { NotificationItem } from './ui/notification-item.tsx';

export function NotificationsPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === 'true';
  const list = usePagedList<NotificationDto>(notificationKeys.list, '/notifications', {
    unread: unreadOnly ? 'true' : undefined,
  });
  const unread = useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => getUnreadCount(signal),
  });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: (r) => {
      notifySuccess((t) => t('notifications.markedAllRead', { count: r.updated }));
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
    onError: (err) => notifyError(err),
  });
  const count = unread.data?.count ?? 0;
  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        description={t('notifications.description')}
        actions={
          <Button
            variant="light"
            leftSection={<CheckIcon size={16} />}
            disabled={count === 0}
            loading={readAll.isPending}
            onClick={() => readAll.mutate()}
            data-testid="notifications-read-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <Group mb="md">
        <SegmentedControl
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => setParams(v === 'unread' ? { unread: 'true' } : {}, { replace: true })}
          data={[
            { value: 'all', label: t('notifications.filter.all') },
            { value: 'unread', label: `${t('notifications.filter.unread')} (${count})` },
          ]}
          data-testid="notifications-filter"
        />
      </Group>
      {list.error ? (
        <Text c="red" size="sm">
          <ProblemDetails error={list.error} t={t} />
        </Text>
      ) : list.loading ? (
        <Stack gap="sm">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={64} radius="md" />
          ))}
        </Stack>
      ) : list.items.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl" data-testid="notifications-empty">
          {unreadOnly ? t('notifications.noneUnread') : t('notifications.none')}
        </Text>
      ) : (
        <Stack gap="sm" data-testid="notifications-list">
          {list.items.map((n) => (
            <NotificationItem key={n.id} notification={n} />
          ))}
          {(list.hasMore || list.items.length > 50) && (
            <LoadMore
              hasMore={list.hasMore}
              loading={list.loadingMore}
              onLoadMore={list.loadMore}
              shown={list.items.length}
              testId="notifications-load-more"
            />
          )}
        </Stack>
      )}
    </>
  );
}
