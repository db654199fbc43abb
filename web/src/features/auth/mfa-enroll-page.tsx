// Administrators without MFA land here after signing in and may do nothing else until they enrol.
import { Button, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useSession } from '../../shared/session/session.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { MfaEnrollment } from './mfa-enrollment.tsx';

export function MfaEnrollPage() {
  const t = useT();
  const navigate = useNavigate();
  const { session, refresh, signOut } = useSession();

  const finish = async () => {
    await refresh();
    void navigate('/', { replace: true });
  };

  return (
    <AuthLayout title={t('mfa.enrolTitle')} width={520}>
      <Text size="sm" c="dimmed" mb="md">
        {t('mfa.requiredIntro', { email: session?.user.email ?? '' })}
      </Text>
      <MfaEnrollment onFinished={() => void finish()} doneLabel={t('mfa.continueToApp')} />
      <Group justify="center" mt="lg">
        <Button
          variant="subtle"
          size="xs"
          color="gray"
          onClick={() => void signOut().then(() => navigate('/login'))}
        >
          {t('nav.signOut')}
        </Button>
      </Group>
    </AuthLayout>
  );
}
