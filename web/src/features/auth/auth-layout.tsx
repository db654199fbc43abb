// The frame of the pages shown before the app: setup, sign-in and forced MFA enrolment.
import { Box, Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../../shared/i18n/i18n.tsx';
import { LanguageSwitch } from '../../shared/ui/language-switch.tsx';
import { ShieldIcon } from '../../shared/ui/icons.tsx';

export function AuthLayout({
  title,
  children,
  width = 420,
}: {
  title: ReactNode;
  children: ReactNode;
  width?: number;
}) {
  const t = useT();
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)" py={48} px="md">
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Group justify="space-between">
            <Group gap="xs">
              <ThemeIcon size="lg" radius="md">
                <ShieldIcon size={20} />
              </ThemeIcon>
              <div>
                <Text fw={700} lh={1.1}>
                  Mamori
                </Text>
                <Text size="xs" c="dimmed" lh={1.1}>
                  {t('app.tagline')}
                </Text>
              </div>
            </Group>
            <LanguageSwitch />
          </Group>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <Title order={3} mb="md">
              {title}
            </Title>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
