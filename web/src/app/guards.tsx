// Route guards: signed in, MFA enrolled, and allowed to see the page.
import type { ReactNode } from 'react';
import { Center, Loader, Stack, Text, Title } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import type { Action } from '../shared/api/types.ts';
import { useT } from '../shared/i18n/i18n.tsx';
import { useSession } from '../shared/session/session.tsx';

export function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}

/** Signed in with MFA done; otherwise to sign-in or to MFA enrolment. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'signed_out')
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (state.session.stage === 'mfa_enrollment') return <Navigate to="/mfa/enrol" replace />;
  return <>{children}</>;
}

/** The forced enrolment page: only for a session in the mfa_enrollment stage. */
export function RequireEnrollmentStage({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'signed_out') return <Navigate to="/login" replace />;
  if (state.session.stage !== 'mfa_enrollment') return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** Sign-in and setup pages: a signed-in user goes to the app instead. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'signed_in') return <Navigate to="/" replace />;
  return <>{children}</>;
}

export function RequirePermission({ action, children }: { action: Action; children: ReactNode }) {
  const { can } = useSession();
  const t = useT();
  if (!can(action)) {
    return (
      <Center py={80}>
        <Stack align="center" gap="xs">
          <Title order={3}>{t('error.forbiddenTitle')}</Title>
          <Text c="dimmed">{t('error.forbidden')}</Text>
        </Stack>
      </Center>
    );
  }
  return <>{children}</>;
}
