// Recovery codes are shown once: the user copies or downloads them and says they have kept them.
import { useState } from 'react';
import { Alert, Button, Checkbox, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useT } from '../../shared/i18n/i18n.tsx';
import { AlertIcon, CheckIcon, CopyIcon, DownloadIcon } from '../../shared/ui/icons.tsx';

interface RecoveryCodesProps {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
}

export function RecoveryCodes({ codes, onDone, doneLabel }: RecoveryCodesProps) {
  const t = useT();
  const [saved, setSaved] = useState(false);
  const text = codes.join('\n');
  const downloadHref = `data:text/plain;charset=utf-8,${encodeURIComponent(`Mamori recovery codes\n\n${text}\n`)}`;

  return (
    <Stack>
      <Alert color="yellow" icon={<AlertIcon />} title={t('mfa.codesTitle')}>
        {t('mfa.codesHelp')}
      </Alert>
      <Paper withBorder p="md" bg="var(--mantine-color-gray-0)">
        <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
          {codes.map((code) => (
            <Text key={code} ff="monospace" size="sm" ta="center">
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <CheckIcon /> : <CopyIcon />}
              onClick={copy}
              data-testid="recovery-copy"
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button
          variant="default"
          component="a"
          href={downloadHref}
          download="mamori-recovery-codes.txt"
          data-testid="recovery-download"
          leftSection={<DownloadIcon />}
        >
          {t('common.download')}
        </Button>
      </Group>
      <Checkbox
        label={t('mfa.codesSaved')}
        checked={saved}
        onChange={(e) => setSaved(e.currentTarget.checked)}
        data-testid="recovery-ack"
      />
      <Button disabled={!saved} onClick={onDone} data-testid="recovery-continue">
        {doneLabel}
      </Button>
    </Stack>
  );
}
