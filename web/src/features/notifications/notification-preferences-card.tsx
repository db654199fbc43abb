// The signed-in user's choice: notifications in Mamori only, or by mail too (when the server sends mail).
import { Alert, Card, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationChannel } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useRequiredSession } from '../../shared/session/session.tsx';
import { notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { getPreferences, notificationKeys, setPreferences } from './notifications.api.ts';

export function NotificationPreferencesCard() {
  const t = useT();
  const session = useRequiredSession();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: notificationKeys.preferences, queryFn: getPreferences });
  const save = useMutation({
    mutationFn: (channel: NotificationChannel) => setPreferences(channel, prefs.data?.version ?? 0),
    onSuccess: (next) => {
      queryClient.setQueryData(notificationKeys.preferences, next);
      notifySuccess((t) => t('notifications.prefs.saved'));
    },
    onError: (err) => {
      notifyError(err);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences });
    },
  });
  const data = prefs.data;
  return (
    <Card withBorder padding="lg" data-testid="notification-preferences">
      <Title order={4} mb={4}>
        {t('notifications.prefs.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('notifications.prefs.help')}
      </Text>
      <Radio.Group value={data?.channel ?? 'in_app'} onChange={(v) => save.mutate(v as NotificationChannel)}>
        <Stack gap="sm">
          <Radio
            value="in_app"
            label={t('notifications.prefs.in_app')}
            description={t('notifications.prefs.in_appHelp')}
            disabled={!data || save.isPending}
            data-testid="notification-pref-in_app"
          />
          <Radio
            value="email"
            label={t('notifications.prefs.email')}
            description={t('notifications.prefs.emailHelp', { email: session.user.email })}
            disabled={!data || save.isPending || (!data.emailAvailable && data.channel !== 'email')}
            data-testid="notification-pref-email"
          />
        </Stack>
      </Radio.Group>
      {data && !data.emailAvailable && (
        <Alert color="gray" mt="md" p="xs">
          <Text size="sm">{t('notifications.prefs.noMail')}</Text>
        </Alert>
      )}
    </Card>
  );
}
