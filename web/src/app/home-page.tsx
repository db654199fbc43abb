// The landing page after sign-in: a greeting, the org overview and shortcuts.
import { Anchor, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { OrgOverview } from '../features/org/index.ts';
import type { Action } from '../shared/api/types.ts';
import { useT, type MessageKey } from '../shared/i18n/i18n.tsx';
import { useRequiredSession, useSession } from '../shared/session/session.tsx';
import { MfaBadge } from '../shared/ui/badges.tsx';

const LINKS: { to: string; title: MessageKey; text: MessageKey; action?: Action }[] = [
  { to: '/companies', title: 'nav.companies', text: 'home.linkCompanies', action: 'company.read' },
  { to: '/people', title: 'nav.people', text: 'home.linkPeople', action: 'person.read' },
  { to: '/people/import', title: 'people.import', text: 'home.linkImport', action: 'person.write' },
  { to: '/assets', title: 'nav.assets', text: 'home.linkAssets', action: 'asset.read' },
  { to: '/users', title: 'nav.users', text: 'home.linkUsers', action: 'user.read' },
  { to: '/compliance', title: 'nav.compliance', text: 'home.linkCompliance', action: 'compliance.read' },
  { to: '/frameworks', title: 'nav.frameworks', text: 'home.linkFrameworks', action: 'framework.read' },
  { to: '/audit', title: 'nav.audit', text: 'home.linkAudit', action: 'audit.read' },
  { to: '/profile', title: 'nav.profile', text: 'home.linkProfile' },
];

export function HomePage() {
  const t = useT();
  const session = useRequiredSession();
  const { can } = useSession();
  return (
    <>
      <Group justify="space-between" mb="lg">
        <div>
          <Title order={2}>{t('home.welcome', { name: session.user.displayName })}</Title>
          <Text c="dimmed" size="sm">
            {t('home.subtitle')}
          </Text>
        </div>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('mfa.title')}
          </Text>
          <MfaBadge enabled={session.user.mfaEnabled} />
        </Group>
      </Group>
      <OrgOverview />
      <Title order={4} mt="xl" mb="sm">
        {t('home.shortcuts')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {LINKS.filter((l) => !l.action || can(l.action)).map((l) => (
          <Card
            key={l.to}
            withBorder
            padding="md"
            radius="md"
            component={Link}
            to={l.to}
            style={{ textDecoration: 'none' }}
          >
            <Anchor component="span" fw={600}>
              {t(l.title)}
            </Anchor>
            <Text size="sm" c="dimmed" mt={4}>
              {t(l.text)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
