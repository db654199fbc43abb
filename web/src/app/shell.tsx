// The signed-in frame: header with user, language and sign-out; navigation by permission.
import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Text,
  ThemeIcon,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Action } from '../shared/api/types.ts';
import { useT, type MessageKey } from '../shared/i18n/i18n.tsx';
import { useRequiredSession, useSession } from '../shared/session/session.tsx';
import {
  BuildingIcon,
  HistoryIcon,
  HomeIcon,
  KeyIcon,
  LogoutIcon,
  ShieldIcon,
  UserCogIcon,
  UserIcon,
  UsersIcon,
  type IconProps,
} from '../shared/ui/icons.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { notifyError } from '../shared/ui/notify.tsx';

interface NavItem {
  to: string;
  label: MessageKey;
  icon: (props: IconProps) => React.JSX.Element;
  testId: string;
  /** Shown only with this permission; none: every signed-in user. */
  action?: Action;
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home', icon: HomeIcon, testId: 'nav-home' },
  {
    to: '/companies',
    label: 'nav.companies',
    icon: BuildingIcon,
    testId: 'nav-companies',
    action: 'company.read',
  },
  { to: '/people', label: 'nav.people', icon: UsersIcon, testId: 'nav-people', action: 'person.read' },
  { to: '/users', label: 'nav.users', icon: UserCogIcon, testId: 'nav-users', action: 'user.read' },
  { to: '/audit', label: 'nav.audit', icon: HistoryIcon, testId: 'nav-audit', action: 'audit.read' },
  { to: '/tokens', label: 'nav.tokens', icon: KeyIcon, testId: 'nav-tokens', action: 'self.write' },
  { to: '/profile', label: 'nav.profile', icon: UserIcon, testId: 'nav-profile' },
];

export function Shell() {
  const t = useT();
  const session = useRequiredSession();
  const { can, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();

  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to || location.pathname.startsWith(`${to}/`);
  const items = NAV.filter((item) => !item.action || can(item.action));

  const doSignOut = () => {
    signOut()
      .catch((err: unknown) => notifyError(err, t))
      .finally(() => void navigate('/login', { replace: true }));
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <UnstyledButton component={Link} to="/" style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <ThemeIcon size="md" radius="md">
                <ShieldIcon size={16} />
              </ThemeIcon>
              <Text fw={700}>Mamori</Text>
              <Text size="sm" c="dimmed" visibleFrom="md">
                {t('app.tagline')}
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Tooltip label={session.user.email}>
              <Text size="sm" fw={500} visibleFrom="xs" data-testid="header-user">
                {session.user.displayName}
              </Text>
            </Tooltip>
            <LanguageSwitch />
            <Button
              variant="subtle"
              color="gray"
              size="xs"
              leftSection={<LogoutIcon size={16} />}
              onClick={doSignOut}
              data-testid="sign-out"
            >
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {items.map((item) => {
            const Icon = item.icon;
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={t(item.label)}
                leftSection={<Icon size={18} />}
                active={isActive(item.to)}
                onClick={close}
                data-testid={item.testId}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                mb={2}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            {t('app.footer')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
