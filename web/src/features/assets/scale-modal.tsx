// A company's classification scale: levels 1-3 or 1-4 for confidentiality, integrity and availability.
import { useState } from 'react';
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { SCALE_LEVELS } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, notifySuccess } from '../../shared/ui/notify.tsx';
import { assetKeys, getScale, setScale } from './assets.api.ts';

export function ScaleModal({
  opened,
  onClose,
  defaultCompanyId,
}: {
  opened: boolean;
  onClose: () => void;
  defaultCompanyId: string | null;
}) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('asset.scaleTitle')}>
      {opened && <ScaleForm onClose={onClose} defaultCompanyId={defaultCompanyId} />}
    </Modal>
  );
}

function ScaleForm({ onClose, defaultCompanyId }: { onClose: () => void; defaultCompanyId: string | null }) {
  const t = useT();
  const lookup = useCompanyLookup();
  const queryClient = useQueryClient();
  const [companyId, setCompanyId] = useState<string | null>(defaultCompanyId);
  const [levels, setLevels] = useState<string | null>(null);
  const scale = useQuery({
    queryKey: assetKeys.scale(companyId ?? 'none'),
    queryFn: () => getScale(companyId as string),
    enabled: Boolean(companyId),
  });
  const current = scale.data ? String(scale.data.levels) : null;
  const save = useMutation({
    mutationFn: () => setScale(companyId!, scale.data!.version, Number(levels ?? current)),
    onSuccess: (s) => {
      notifySuccess((t) => t('asset.scaleSaved', { levels: s.levels }));
      void queryClient.invalidateQueries({ queryKey: assetKeys.all });
      onClose();
    },
  });
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('asset.scaleDescription')}
      </Text>
      <Select
        label={t('asset.company')}
        data={lookup.options}
        value={companyId}
        onChange={(v) => {
          setCompanyId(v);
          setLevels(null);
          save.reset();
        }}
        searchable
        data-testid="scale-company"
      />
      {scale.data && (
        <SegmentedControl
          value={levels ?? current ?? '3'}
          onChange={setLevels}
          data={SCALE_LEVELS.map((n) => ({ value: String(n), label: t('asset.scaleLevels', { n }) }))}
          data-testid="scale-levels"
        />
      )}
      {save.error && (
        <Alert color="red">
          <ProblemDetails error={save.error} t={t} />
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!scale.data || !levels || levels === current}
          data-testid="scale-save"
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
