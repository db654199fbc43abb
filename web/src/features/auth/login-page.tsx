// Sign-in: email and password, then a TOTP or recovery code when the account has MFA.
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useSession } from '../../shared/session/session.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { getSetupStatus, login, type LoginInput } from './auth.api.ts';

type Step = 'password' | 'second_factor';

interface LoginLocationState {
  email?: string;
  from?: string;
}

export function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginLocationState;
  const { setSession } = useSession();
  const setupStatus = useQuery({ queryKey: ['setup-status'], queryFn: getSetupStatus, staleTime: 60_000 });

  const [step, setStep] = useState<Step>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [email, setEmail] = useState(state.email ?? '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [error, setError] = useState<unknown>(null);

  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      setSession(session);
      const target = state.from && state.from !== '/login' ? state.from : '/';
      void navigate(target, { replace: true });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'mfa_required') {
        setStep('second_factor');
        setError(step === 'second_factor' ? err : null);
        return;
      }
      setError(err);
    },
  });

  if (setupStatus.data?.needsSetup) return <Navigate to="/setup" replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const input: LoginInput = { email: email.trim(), password };
    if (step === 'second_factor') {
      if (useRecovery) input.recoveryCode = recoveryCode.trim();
      else input.totp = totp.replace(/\s/g, '');
    }
    signIn.mutate(input);
  };

  const startOver = () => {
    setStep('password');
    setTotp('');
    setRecoveryCode('');
    setError(null);
  };

  const rateLimited = error instanceof ApiError && error.code === 'rate_limited';

  return (
    <AuthLayout title={step === 'password' ? t('login.title') : t('login.mfaTitle')}>
      <form onSubmit={submit}>
        <Stack>
          {error !== null && (
            <Alert
              color={rateLimited ? 'orange' : 'red'}
              title={rateLimited ? t('login.rateLimited') : undefined}
              data-testid="login-error"
            >
              <ProblemDetails error={error} t={t} />
            </Alert>
          )}
          {step === 'password' ? (
            <>
              <TextInput
                label={t('field.email')}
                type="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                required
                autoComplete="username"
                autoFocus={!state.email}
                data-testid="login-email"
              />
              <PasswordInput
                label={t('field.password')}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                required
                autoComplete="current-password"
                autoFocus={Boolean(state.email)}
                data-testid="login-password"
              />
            </>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {useRecovery ? t('login.recoveryHelp') : t('login.totpHelp')}
              </Text>
              {useRecovery ? (
                <TextInput
                  label={t('login.recoveryCode')}
                  value={recoveryCode}
                  onChange={(e) => setRecoveryCode(e.currentTarget.value)}
                  required
                  autoComplete="off"
                  autoFocus
                  ff="monospace"
                  data-testid="recovery-input"
                />
              ) : (
                <TextInput
                  label={t('login.totp')}
                  value={totp}
                  onChange={(e) => setTotp(e.currentTarget.value)}
                  required
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={8}
                  autoFocus
                  data-testid="totp-input"
                  styles={{
                    input: { letterSpacing: '0.3em', fontFamily: 'var(--mantine-font-family-monospace)' },
                  }}
                />
              )}
              <Group justify="space-between">
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => setUseRecovery((v) => !v)}
                  data-testid="toggle-recovery"
                >
                  {useRecovery ? t('login.useTotp') : t('login.useRecovery')}
                </Anchor>
                <Anchor component="button" type="button" size="sm" c="dimmed" onClick={startOver}>
                  {t('login.startOver')}
                </Anchor>
              </Group>
            </>
          )}
          <Button type="submit" loading={signIn.isPending} data-testid="login-submit" fullWidth>
            {step === 'password' ? t('login.submit') : t('login.verify')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
