// Adopt a framework for a company: its Statement of Applicability starts with every requirement applicable.
import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AdoptionDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, fieldErrors, notifySuccess } from '../../shared/ui/notify.tsx';
import { adoptFramework, complianceKeys } from './compliance.api.ts';
import { useFrameworks } from './compliance.queries.ts';

interface AdoptModalProps {
  opened: boolean;
  companyId: string;
  adopted: readonly AdoptionDto[];
  onClose: () => void;
  onAdopted?: (a: AdoptionDto) => void;
}

export function AdoptModal({ opened, companyId, adopted, onClose, onAdopted }: AdoptModalProps) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('adoption.title')} size="lg">
      {opened && (
        <AdoptForm companyId={companyId} adopted={adopted} onClose={onClose} onAdopted={onAdopted} />
      )}
    </Modal>
  );
}

function AdoptForm({ companyId, adopted, onClose, onAdopted }: Omit<AdoptModalProps, 'opened'>) {
  const t = useT();
  const queryClient = useQueryClient();
  const frameworks = useFrameworks();
  const [frameworkId, setFrameworkId] = useState<string | null>(null);
  const [scope, setScope] = useState('');
  const taken = new Set(adopted.map((a) => a.frameworkId));
  const options = (frameworks.data ?? []).map((f) => ({
    value: f.id,
    label: `${f.name} (${f.requirements === 1 ? t('framework.countBelowOne') : t('framework.countBelow', { count: f.requirements })})`,
    disabled: taken.has(f.id),
  }));

  const adopt = useMutation({
    mutationFn: () =>
      adoptFramework(companyId, { frameworkId: frameworkId!, scopeStatement: scope.trim() || null }),
    onSuccess: (a) => {
      notifySuccess((t) => t('adoption.adopted', { name: a.frameworkName }));
      void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
      onAdopted?.(a);
      onClose();
    },
  });
  const errors = fieldErrors(adopt.error, t);

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('adoption.help')}
      </Text>
      <Select
        label={t('adoption.framework')}
        placeholder={t('adoption.pickFramework')}
        data={options}
        value={frameworkId}
        onChange={setFrameworkId}
        error={errors.frameworkId}
        required
        searchable
        nothingFoundMessage={t('common.nothingFound')}
        data-testid="adopt-framework"
      />
      <Textarea
        label={t('adoption.scope')}
        description={t('adoption.scopeHelp')}
        value={scope}
        onChange={(e) => setScope(e.currentTarget.value)}
        autosize
        minRows={3}
        maxLength={4000}
        error={errors.scopeStatement}
        data-testid="adopt-scope"
      />
      {adopt.error && (
        <Alert color="red">
          <ProblemDetails error={adopt.error} t={t} />
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={!frameworkId}
          loading={adopt.isPending}
          onClick={() => adopt.mutate()}
          data-testid="adopt-submit"
        >
          {t('adoption.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
