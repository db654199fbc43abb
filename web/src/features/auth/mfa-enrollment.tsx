// TOTP enrolment: scan the QR code (or type the secret), prove it with a code, keep the recovery codes.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Center, Code, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, notifySuccess } from '../../shared/ui/notify.tsx';
import { confirmMfa, startMfaSetup } from './auth.api.ts';
import { RecoveryCodes } from './recovery-codes.tsx';

interface MfaEnrollmentProps {
  /** Called after the user acknowledged the recovery codes. */
  onFinished: () => void;
  doneLabel: string;
}

export function MfaEnrollment({ onFinished, doneLabel }: MfaEnrollmentProps) {
  const t = useT();
  const [code, setCode] = useState('');
  const started = useRef(false);
  const setup = useMutation({ mutationFn: startMfaSetup });
  const confirm = useMutation({
    mutationFn: confirmMfa,
    onSuccess: () => notifySuccess((t) => t('mfa.enabled')),
  });

  // Each call makes a new secret, so start exactly once (StrictMode runs effects twice in development).
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    setup.mutate();
  }, [setup.mutate]);

  if (confirm.data) {
    return <RecoveryCodes codes={confirm.data.recoveryCodes} onDone={onFinished} doneLabel={doneLabel} />;
  }
  if (setup.error) {
    return (
      <Stack>
        <Alert color="red">
          <ProblemDetails error={setup.error} t={t} />
        </Alert>
        <Button variant="light" onClick={() => setup.mutate()}>
          {t('common.retry')}
        </Button>
      </Stack>
    );
  }
  if (!setup.data) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.replace(/\s/g, ''));
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('mfa.scanHelp')}</Text>
        <Center>
          <div
            style={{
              background: 'white',
              padding: 12,
              borderRadius: 8,
              border: '1px solid var(--mantine-color-gray-3)',
            }}
          >
            <QRCodeSVG value={setup.data.otpauthUri} size={184} marginSize={0} data-testid="mfa-qr" />
          </div>
        </Center>
        <div>
          <Text size="xs" c="dimmed" mb={4}>
            {t('mfa.secretHelp')}
          </Text>
          <Code
            block
            data-testid="mfa-secret"
            style={{ wordBreak: 'break-all', fontSize: 14, letterSpacing: '0.05em' }}
          >
            {setup.data.secret}
          </Code>
        </div>
        {confirm.error && (
          <Alert color="red" data-testid="mfa-error">
            <ProblemDetails error={confirm.error} t={t} />
          </Alert>
        )}
        <TextInput
          label={t('login.totp')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={8}
          data-testid="totp-input"
          styles={{ input: { letterSpacing: '0.3em', fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={confirm.isPending} data-testid="mfa-confirm">
            {t('mfa.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
