// Owner, custodian or classification of the selected assets at once: all of them or none (each at the version
// shown), with an audit entry per changed asset.
import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import type { AssetDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, notifySuccess } from '../../shared/ui/notify.tsx';
import { PersonPicker } from './asset-pickers.tsx';
import { assetKeys, bulkUpdate } from './assets.api.ts';

interface Props {
  opened: boolean;
  assets: AssetDto[];
  onClose: () => void;
  onDone: () => void;
}

const LEVELS = ['confidentiality', 'integrity', 'availability'] as const;

export function BulkEditModal({ opened, assets, onClose, onDone }: Props) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('asset.bulkTitle', { count: assets.length })} size="lg">
      {opened && <BulkEditForm assets={assets} onClose={onClose} onDone={onDone} />}
    </Modal>
  );
}

function BulkEditForm({ assets, onClose, onDone }: Omit<Props, 'opened'>) {
  const t = useT();
  const queryClient = useQueryClient();
  const companies = [...new Set(assets.map((a) => a.companyId))];
  const oneCompany = companies.length === 1 ? companies[0]! : null;
  const [owner, setOwner] = useState<string | null>(null);
  const [custodian, setCustodian] = useState<string | null>(null);
  const [levels, setLevels] = useState<Record<(typeof LEVELS)[number], string | null>>({
    confidentiality: null,
    integrity: null,
    availability: null,
  });
  const run = useMutation({
    mutationFn: () =>
      bulkUpdate({
        items: assets.map((a) => ({ id: a.id, version: a.version })),
        set: {
          ...(owner ? { ownerPersonId: owner } : {}),
          ...(custodian ? { custodianPersonId: custodian } : {}),
          ...Object.fromEntries(LEVELS.filter((k) => levels[k]).map((k) => [k, Number(levels[k])])),
        },
      }),
    onSuccess: (r) => {
      notifySuccess((t) => t('asset.bulkDone', { updated: r.updated, unchanged: r.unchanged }));
      void queryClient.invalidateQueries({ queryKey: assetKeys.all });
      onDone();
    },
  });
  const nothing = !owner && !custodian && LEVELS.every((k) => !levels[k]);
  const stale = run.error instanceof ApiError && run.error.code === 'stale_version';
  const levelOptions = ['1', '2', '3', '4'].map((v) => ({ value: v, label: v }));

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('asset.bulkHelp')}
      </Text>
      {stale && (
        <Alert color="orange" title={t('error.staleTitle')}>
          {t('asset.bulkStale')}
        </Alert>
      )}
      {run.error && !stale && (
        <Alert color="red">
          <ProblemDetails error={run.error} t={t} />
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <PersonPicker
          label={t('asset.owner')}
          placeholder={t('asset.noChange')}
          description={oneCompany ? undefined : t('asset.bulkOneCompany')}
          companyId={oneCompany}
          value={owner}
          onChange={setOwner}
          clearable
          disabled={!oneCompany}
          data-testid="bulk-owner"
        />
        <PersonPicker
          label={t('asset.custodian')}
          placeholder={t('asset.noChange')}
          description={oneCompany ? undefined : t('asset.bulkOneCompany')}
          companyId={oneCompany}
          value={custodian}
          onChange={setCustodian}
          clearable
          disabled={!oneCompany}
          data-testid="bulk-custodian"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {LEVELS.map((k) => (
          <Select
            key={k}
            label={t(`asset.${k}`)}
            placeholder={t('asset.noChange')}
            data={levelOptions}
            value={levels[k]}
            onChange={(v) => setLevels((l) => ({ ...l, [k]: v }))}
            clearable
            data-testid={`bulk-${k}`}
          />
        ))}
      </SimpleGrid>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => run.mutate()}
          loading={run.isPending}
          disabled={nothing}
          data-testid="bulk-apply"
        >
          {t('asset.bulkApply', { count: assets.length })}
        </Button>
      </Group>
    </Stack>
  );
}
